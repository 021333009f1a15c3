"""The ``sort`` of a cached-items list: a field name, ``-`` in front for descending."""

from __future__ import annotations

from hrhelper.domain.errors import InvalidInput

__all__ = ["Sorted"]


class Sorted:
    """A mixin for list queries with a ``sort`` attribute; ``check_sort`` in
    ``__post_init__`` refuses a field outside the list's own."""

    sort: str

    def check_sort(self, fields: tuple[str, ...]) -> None:
        if self.sort_field not in fields:
            choices = ", ".join(fields)
            raise InvalidInput.for_fields(
                {"sort": [f"Sort by one of {choices}, with - in front for descending."]},
                "Unknown sort.",
            )

    @property
    def sort_field(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")
