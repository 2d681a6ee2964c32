"""Values every page needs: the signed-in user's role, and the help contact."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from nolkumuh.accounts.services import user_scope


def site(request: HttpRequest) -> dict[str, object]:
    scope = user_scope(request.user)
    return {"scope": scope, "contact": settings.NOLKUMUH_CONTACT, "demo_mode": settings.DEMO}
