"""The coordinators' programme over many reviews: municipalities and their members,
invitations, rounds, reminders and their schedules, follow-up, overview and tables.
It uses the review domain (`dialogues.review`), never the other way round."""

from dialogues.programme.municipalities import County, Municipality
from dialogues.programme.programme import ORGANISATIONS, Invitation, Programme, ProgrammeError

__all__ = ["ORGANISATIONS", "County", "Invitation", "Municipality", "Programme", "ProgrammeError"]
