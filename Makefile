# The set-up commands of the README: `make run`, `make test`, and `make proof` for the long runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Exactly what was tested, with every file's hash: the package's dependencies (the image
# installs these) and, for development, those with the test tools. `make lock` makes both.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
PIP := $(BIN)/python -m pip --disable-pip-version-check
UV_VERSION := 0.13.9

.PHONY: run test proof lint format bench lock clean

# The pinned set first (a hash that differs stops the install), then the package itself
# with nothing more: every dependency is already there, at the version the lock names.
$(STAMP): pyproject.toml $(LOCK) $(DEV_LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r $(DEV_LOCK)
	$(PIP) install --quiet --no-deps -e .
	touch $(STAMP)

# After a change to pyproject.toml's dependencies: resolves only what changed and keeps every
# other pin (`make lock UPGRADE=1` moves them all to the newest releases). uv comes from PyPI;
# it reads PyPI, or only its cache with UV_OFFLINE=1. The dev lock is held to the runtime
# one, so that the tests run on the versions the image gets.
COMPILE = UV_CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/uv pip compile pyproject.toml --quiet \
	--universal --python-version 3.11 --generate-hashes $(if $(UPGRADE),--upgrade)
lock: $(BIN)/uv
	$(COMPILE) -o $(LOCK)
	$(COMPILE) --extra dev --constraint $(LOCK) -o $(DEV_LOCK)

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet uv==$(UV_VERSION)

run: $(STAMP)
	$(BIN)/selfreview run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy dialogues storage
	$(BIN)/pytest -m "not proof" -n 2

# The long proofs (tests marked `proof`): hundreds of random kills, minutes of Telegram failing,
# a broadcast at Telegram's real rates. CI runs them after `make test`.
proof: $(STAMP)
	$(BIN)/pytest -m proof

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/answer_cost.py
	$(BIN)/python benchmarks/broadcast.py
	$(BIN)/python benchmarks/exports.py
	$(BIN)/python benchmarks/flood.py
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/second_start.py
	$(BIN)/python benchmarks/start_up.py
	$(BIN)/python benchmarks/programme_claims.py
	$(BIN)/python benchmarks/pictures.py
	$(BIN)/python benchmarks/comparison.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
