"""`selfreview backup` and `selfreview restore`: the data folder as one dated archive, and back.

One moment for all files: the copy is taken under the folder's lock, which every process that
writes the folder holds for its life. Each file is replaced atomically, so one file read alone
is always whole, but the bot writes several files for one change (a respondent, then the
programme): a copy read file by file beside a running bot could join a file from before a
change to one from after it, a state the folder was never in. So a backup takes the lock,
and beside a running bot it refuses and says to stop the bot for the seconds it takes
(Telegram keeps what people send meanwhile and the bot answers it when it is back).

Left out: the lock, temporary files, the heartbeat (it belongs to a process), backups/ and
the archive's own folder when it lies inside the data folder.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from storage import migrations
from storage.atomic import TEMPORARY_SUFFIX, DamagedFileError, fsync_folder
from storage.folder_lock import LOCK_NAME, FolderInUseError, FolderLock
from storage.heartbeat import HEARTBEAT_NAME, holder
from storage.store import StorageError, is_respondent_file

PREFIX = "selfreview-backup-"
SUFFIX = ".tar.gz"
NOT_DATA = {LOCK_NAME, HEARTBEAT_NAME, migrations.BACKUPS}


class BackupError(StorageError):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    """What a restore put back, and where the data that was there went (None: there was none)."""

    respondents: int
    programme: bool
    schema: int | None
    moved_aside: Path | None


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _in_use(folder: Path, doing: str) -> str:
    return (
        f"{folder} is in use by a running selfreview (pid {holder(folder) or 'unknown'}); "
        f"stop it, {doing}, then start it again"
    )


def _locked(folder: Path, doing: str) -> FolderLock:
    try:
        return FolderLock(folder).acquire()
    except FolderInUseError:
        raise BackupError(_in_use(folder, doing)) from None


def _kept(path: Path, top: bool) -> bool:
    """Whether a file or folder of the data folder belongs in a backup."""
    return not path.name.endswith(TEMPORARY_SUFFIX) and not (top and path.name in NOT_DATA)


def data_files(folder: Path, leave_out: Path | None = None) -> list[Path]:
    """The data folder's files that make its state, sorted, as paths relative to it
    (`leave_out`: a folder inside it not to copy, such as the archive's own)."""
    found: list[Path] = []
    skipped = leave_out.resolve() if leave_out is not None else None

    def walk(at: Path) -> None:
        for path in sorted(at.iterdir()):
            if not _kept(path, top=at == folder) or path.is_symlink():
                continue
            if path.is_dir():
                if path.resolve() != skipped:
                    walk(path)
            elif path.is_file():
                found.append(path.relative_to(folder))

    walk(folder)
    return found


def backup(folder: Path, dest: Path) -> tuple[Path, int]:
    """The archive written (complete, or not there at all) and how many files it holds."""
    if not folder.is_dir():
        raise BackupError(f"there is no data folder at {folder}")
    lock = _locked(folder, "back it up")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        stamp = _stamp()
        target, count = dest / f"{PREFIX}{stamp}{SUFFIX}", 1
        while target.exists():  # two backups in one second: keep both
            count += 1
            target = dest / f"{PREFIX}{stamp}-{count}{SUFFIX}"
        files = data_files(folder, leave_out=dest)
        partial = target.with_name(target.name + TEMPORARY_SUFFIX)
        try:
            with open(partial, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz") as archive:
                    top = target.name.removesuffix(SUFFIX)
                    for relative in files:
                        archive.add(folder / relative, f"{top}/{relative.as_posix()}")
                raw.flush()
                os.fsync(raw.fileno())
            partial.rename(target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        fsync_folder(dest)
        return target, len(files)
    finally:
        lock.release()


def _members(archive: Path) -> dict[PurePosixPath, bytes]:
    """The archive's files, by their path in the data folder; only plain files and folders,
    all in one top folder, none reaching outside it."""
    files: dict[PurePosixPath, bytes] = {}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                name = PurePosixPath(member.name)
                if (
                    name.is_absolute()
                    or ".." in name.parts
                    or not (member.isfile() or member.isdir())
                ):
                    raise BackupError(f"{archive}: {member.name} is not a data folder's file")
                if member.isfile():
                    if len(name.parts) < 2:  # the data folder is the archive's one top folder
                        raise BackupError(f"{archive}: {member.name} is not in a data folder")
                    read = tar.extractfile(member)
                    files[PurePosixPath(*name.parts[1:])] = read.read() if read else b""
    except (OSError, EOFError, tarfile.TarError) as error:
        raise BackupError(
            f"{archive} cannot be read as a backup of selfreview ({error}); "
            "give a file that `selfreview backup` wrote"
        ) from error
    if not files:
        raise BackupError(
            f"{archive} holds no data folder; give a file that `selfreview backup` wrote"
        )
    return files


def _holds_data(folder: Path) -> list[Path]:
    """What in the folder would be lost by a restore: everything but the lock, the heartbeat,
    temporary files and the copies in backups/ (a schema note alone is no data either)."""
    respondents = folder / "respondents"
    return [
        path
        for path in sorted(folder.iterdir())
        if _kept(path, top=True)
        and path.name != "selfreview.json"
        and not (path == respondents and path.is_dir() and not any(path.iterdir()))
    ]


def _unpack(files: dict[PurePosixPath, bytes], staging: Path, owner: os.stat_result) -> None:
    for relative, data in files.items():
        path = staging.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if os.geteuid() == 0:  # restored by root: the files stay the bot's, like their folder
            inside = path.relative_to(staging)
            for made in (inside, *inside.parents):
                os.chown(staging / made, owner.st_uid, owner.st_gid)


def _check(archive: Path, staging: Path) -> tuple[list[Path], int | None]:
    """Every file of the archive must load, at a schema this version can start from."""
    respondents = sorted(
        p for p in (staging / "respondents").glob("*.json") if is_respondent_file(p)
    )
    try:
        migrations.check(staging, [path.name for path in respondents])
        version = migrations.stored_version(staging, respondents)
    except DamagedFileError as error:
        # Said of the archive's file, without the advice for a damaged file in a live folder.
        said = str(error).removeprefix(f"{staging}{os.sep}").split(", so the bot")[0]
        raise BackupError(f"{archive}: {said}; nothing was restored") from error
    if version is not None and version > migrations.SCHEMA_VERSION:
        raise BackupError(
            f"{archive} was written by a newer selfreview (schema {version}); "
            "restore it with that version or a later one"
        )
    return respondents, version


def restore(folder: Path, archive: Path, force: bool = False) -> Restored:
    """Put an archive's data folder back, only while no process holds the folder. What the
    folder held is moved aside first (with `force`; without it a folder with data is refused)."""
    files = _members(archive)
    lock = _locked(folder, "restore")
    try:
        present = _holds_data(folder)
        if present and not force:
            names = ", ".join(path.name for path in present)
            raise BackupError(
                f"{folder} already holds data ({names}); give --force to restore anyway "
                f"(what is there is first moved to {folder / migrations.BACKUPS}/before-restore-<time>/)"
            )
        stamp = _stamp()
        staging = folder / migrations.BACKUPS / f"restoring-{stamp}.partial"
        try:
            staging.mkdir(parents=True)
            _unpack(files, staging, folder.stat())
            respondents, version = _check(archive, staging)
            os.sync()  # every restored file on disk before any of it replaces what is there
            aside = _move_aside(folder, stamp)
            for entry in sorted(staging.iterdir()):
                entry.rename(folder / entry.name)
            fsync_folder(folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        programme = PurePosixPath("programme.json") in files
        return Restored(len(respondents), programme, version, aside)
    finally:
        lock.release()


def _move_aside(folder: Path, stamp: str) -> Path | None:
    """Everything the restore replaces, moved whole to backups/before-restore-<time>/."""
    entries = [path for path in sorted(folder.iterdir()) if _kept(path, top=True)]
    if not entries:
        return None
    aside = folder / migrations.BACKUPS / f"before-restore-{stamp}"
    count = 1
    while aside.exists():
        count += 1
        aside = aside.with_name(f"before-restore-{stamp}-{count}")
    aside.mkdir(parents=True)
    for path in entries:
        path.rename(aside / path.name)
    fsync_folder(aside)
    return aside
