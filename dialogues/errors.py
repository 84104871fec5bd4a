"""The domain's one kind of refusal: a key naming the explanation in ui.yaml, and its fields."""

from __future__ import annotations


class Refusal(ValueError):
    """Something the user asked for cannot be done; front ends show the explanation."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields
