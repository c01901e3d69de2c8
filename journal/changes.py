"""What a write changed, by entry id: the record a screen reads to decide what to refresh."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    """What a write did, by entry id. Screens refresh only what concerns them."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    trashed: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()
    purged: tuple[str, ...] = ()

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.created + other.created,
            self.updated + other.updated,
            self.trashed + other.trashed,
            self.restored + other.restored,
            self.purged + other.purged,
        )

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(
            self.created + self.updated + self.trashed + self.restored + self.purged
        )

    def __bool__(self) -> bool:
        return bool(self.ids)
