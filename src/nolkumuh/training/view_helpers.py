"""What the training pages share: a record the user may see (a programme, an event, a needs
survey), the check that they may organise an event, and the length of a paged list."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from nolkumuh.regions.models import Region
from nolkumuh.training.models import Event
from nolkumuh.training.services import may_organise, may_see

PAGE = 100  # rows on one page of the participant and personnel lists

Record = TypeVar("Record", bound=Model)


def visible_or_404(
    request: HttpRequest, rows: QuerySet[Record], pk: int, region: Callable[[Record], Region]
) -> Record:
    """The record, when its region is one the user may see; outside them it answers 404, as for a
    record that does not exist."""
    record = get_object_or_404(rows, pk=pk)
    if not may_see(request.user, region(record)):
        raise Http404
    return record


def visible_event(request: HttpRequest, pk: int) -> Event:
    """The event, with its programme's region and its city; 404 outside the user's regions."""
    return visible_or_404(
        request,
        Event.objects.select_related("programme__region", "city"),
        pk,
        lambda event: event.programme.region,
    )


def require_organiser(request: HttpRequest, event: Event) -> None:
    """Refuse (403) a user who may see the event but not organise it."""
    if not may_organise(request.user, event.programme.region):
        raise PermissionDenied
