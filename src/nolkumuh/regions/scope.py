"""What the region tree's services need to know of a user's rights, passed in by the caller.

The region tree stands below `accounts` (docs/architecture.md, Floors), so its services never ask
who the user is: the caller hands them the user's scope (`accounts.services.user_scope`), which
has this shape."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from nolkumuh.regions.models import Region


class RegionScope(Protocol):
    def covers(self, code: str) -> bool:
        """True when the region with this code lies inside the user's work area."""
        ...

    def may(self, action: str, kelurahan: Region) -> bool:
        """True when the user may take this workflow step (submit, verify, approve...) here."""
        ...
