"""The workflow as the tests expect it, written out by hand (not read from accounts.services, so a
changed rule shows up as a failing test), and one record of each kind that follows it: a kelurahan's
RT data of a round, a realization, a hand-entered KPI value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model

from nolkumuh.baseline.models import Submission, SubmissionEvent
from nolkumuh.baseline.services import rt_record_save, submission_transition
from nolkumuh.core.models import AuditEntry
from nolkumuh.monitoring.kpi import kpi_value_save, kpi_value_transition
from nolkumuh.monitoring.models import KpiValue
from nolkumuh.planning.models import Realization
from nolkumuh.planning.realization import realization_add, realization_transition
from nolkumuh.regions.services import rt_get_or_create
from tests.helpers import set_status as set_submission_status
from tests.web.conftest import rt_values

ACTIONS = ("submit", "verify", "approve", "reject", "unlock")
STATUSES = ("draft", "submitted", "verified", "approved")
# every role of the fixtures, plus the administrator and a fasilitator of another city
ROLES = ("fasilitator", "askot", "korkot", "provinsi", "admin", "fasilitator_solo")

# action: (the statuses it starts from, the roles that take it, the status it leads to)
RULES = {
    "submit": ({"draft"}, {"fasilitator", "korkot", "admin"}, "submitted"),
    "verify": ({"submitted"}, {"askot", "korkot", "admin"}, "verified"),
    "approve": ({"verified"}, {"korkot", "provinsi", "admin"}, "approved"),
    "reject": ({"submitted", "verified"}, {"askot", "korkot", "provinsi", "admin"}, "draft"),
    "unlock": ({"approved"}, {"provinsi", "admin"}, "draft"),
}
WRONG_STATUS = "Langkah ini tidak bisa dilakukan pada status sekarang."
SAME_PERSON = "Verifikasi dan persetujuan harus oleh orang lain daripada yang melakukan langkah sebelumnya."
REASON_REQUIRED = "Tuliskan alasannya (wajib untuk menolak atau membuka kunci)."
UNKNOWN_ACTION = "Tindakan tidak dikenal."
NOT_ALLOWED = "outside_scope"  # the PermissionDenied text; the pages say "Anda tidak berwenang..."


def expected(action: str, status: str, role: str) -> str:
    """The status the step leads to, or the refusal: NOT_ALLOWED, WRONG_STATUS."""
    statuses, roles, to_status = RULES[action]
    if role == "fasilitator_solo" or role not in roles:
        return NOT_ALLOWED
    if status not in statuses:
        return WRONG_STATUS
    return to_status


def allowed(status: str, role: str) -> set[str]:
    """The steps a role may take on a record in this status (someone else took the last step)."""
    return {a for a in ACTIONS if expected(a, status, role) not in (NOT_ALLOWED, WRONG_STATUS)}


def with_admin(users: dict) -> dict:
    """The fixtures' users plus an administrator and a neutral colleague who took the last step."""
    from nolkumuh.accounts.models import Role
    from tests.web.conftest import make_user

    admin = get_user_model().objects.create_superuser(username="admin", password="rahasia-uji-123")
    colleague = make_user("rekan", Role.KORKOT, users["korkot"].membership.regions.first())
    return {**users, "admin": admin, "colleague": colleague}


@dataclass
class Subject:
    """One record in the workflow: ``act`` takes a step as a user, ``status`` reads it back."""

    kind: str
    act: Callable[..., None]
    status: Callable[[], str]
    set_status: Callable[[str, object], None]


def rt_data(users: dict, tree: dict, round) -> Subject:  # type: ignore[no-untyped-def]
    kel = tree["bandarharjo"]
    rt = rt_get_or_create(kelurahan=kel, rw="001", rt="001")[0]
    rt_record_save(user=users["fasilitator"], round=round, rt=rt, values=rt_values())
    pk = Submission.objects.get(kelurahan=kel, round=round).pk

    def act(user, action: str, reason: str = "") -> None:  # type: ignore[no-untyped-def]
        submission_transition(user=user, kelurahan=kel, round=round, action=action, reason=reason)

    def set_status(status: str, by) -> None:  # type: ignore[no-untyped-def]
        set_submission_status(Submission.objects.filter(pk=pk), status)
        SubmissionEvent.objects.create(
            submission_id=pk, user=by, action="x", from_status="draft", to_status=status
        )

    return Subject("rt", act, lambda: Submission.objects.get(pk=pk).status, set_status)


def _audited(model, object_type: str, pk: int, transition, key: str) -> Subject:  # type: ignore[no-untyped-def]
    def act(user, action: str, reason: str = "") -> None:  # type: ignore[no-untyped-def]
        transition(user=user, **{key: model.objects.get(pk=pk)}, action=action, reason=reason)

    def set_status(status: str, by) -> None:  # type: ignore[no-untyped-def]
        model.objects.filter(pk=pk).update(status=status)
        AuditEntry.objects.create(user=by, action="x", object_type=object_type, object_id=str(pk))

    return Subject(object_type, act, lambda: model.objects.get(pk=pk).status, set_status)


def realization(users: dict, tree: dict, round) -> Subject:  # type: ignore[no-untyped-def]
    rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt="001")[0]
    done = realization_add(
        user=users["fasilitator"],
        realization=Realization(rt=rt, activity="apar", volume=Decimal("1"), year=2025),
    )
    return _audited(Realization, "realization", done.pk, realization_transition, "realization")


def kpi_value(users: dict, tree: dict, round) -> Subject:  # type: ignore[no-untyped-def]
    value = kpi_value_save(
        user=users["fasilitator"],
        region=tree["bandarharjo"],
        indicator="kepuasan_penerima",
        year=2024,
        value=Decimal("72"),
    )
    return _audited(KpiValue, "kpi_value", value.pk, kpi_value_transition, "record")


KINDS = {"rt": rt_data, "realization": realization, "kpi_value": kpi_value}
