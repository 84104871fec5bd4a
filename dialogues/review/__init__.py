"""One official's review: the content, the flow through it, the engine that takes each input,
and what it ends in (summary, letter of intent, report)."""

from dialogues.review.content import DEFAULT_LANGUAGE, LANGUAGES, Questionnaire
from dialogues.review.engine import Engine, SaveError
from dialogues.review.inputs import InvalidAnswer
from dialogues.review.loader import ContentError, default_questionnaire
from dialogues.review.prompts import Prompt, Reply

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "ContentError",
    "Engine",
    "InvalidAnswer",
    "Prompt",
    "Questionnaire",
    "Reply",
    "SaveError",
    "default_questionnaire",
]
