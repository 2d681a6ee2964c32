"""Writing the KPP registry and their functioning assessments, and the registries of BKM/LKM,
Pokja PKP and volunteers. Checked and audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from nolkumuh.accounts.services import user_scope
from nolkumuh.core.bounds import validated
from nolkumuh.core.services import audit_change
from nolkumuh.monitoring.framework import default_settings
from nolkumuh.monitoring.kpimath import share
from nolkumuh.monitoring.models import Institution, Kpp, KppAssessment, Member

KPP_FIELDS = ("name", "formed_on", "chair", "members_male", "members_female", "om_fund")
INSTITUTION_FIELDS = ("kind", "name", "chair", "members_male", "members_female", "status", "decree", "note")


def _snapshot(instance: object, fields: tuple[str, ...]) -> dict[str, object]:
    values = model_to_dict(instance, fields=fields)
    return {k: (str(v) if isinstance(v, (Decimal, date)) else v) for k, v in values.items()}


def ensure_registrar(user: AbstractBaseUser, code: str) -> None:
    """Fasilitator, korkot and administrators keep the registries of their regions."""
    scope = user_scope(user)
    if not (scope.role in {"fasilitator", "korkot", "admin"} and scope.covers(code)):
        raise PermissionDenied("outside_scope")


def _registry_save(
    *, user: AbstractBaseUser, record: Any, region_code: str, fields: tuple[str, ...], object_type: str
) -> Any:
    """Create or update a registry entry of a region (KPP, institution), checked and audited."""
    ensure_registrar(user, region_code)
    before = _snapshot(type(record).objects.get(pk=record.pk), fields) if record.pk else None
    record.full_clean()
    record.save()
    audit_change(
        user=user,
        object_type=object_type,
        object_id=record.pk,
        before=before,
        after=_snapshot(record, fields),
        summary=record.name,
    )
    return record


@transaction.atomic
def kpp_save(*, user: AbstractBaseUser, kpp: Kpp) -> Kpp:
    """Create or update a KPP of a kelurahan."""
    return _registry_save(
        user=user, record=kpp, region_code=kpp.kelurahan.code, fields=KPP_FIELDS, object_type="kpp"
    )


def assessment_score(answers: dict[str, bool]) -> tuple[float, bool]:
    """Share of checklist items met (percent) and whether that makes the KPP functioning."""
    tuning = default_settings()
    met = sum(1 for item in tuning.kpp_checklist if answers.get(item.key))
    score = share(met, len(tuning.kpp_checklist)) or 0.0
    return score, score >= tuning.kpp_threshold


@transaction.atomic
def kpp_assess(
    *, user: AbstractBaseUser, kpp: Kpp, assessed_on: date, answers: dict[str, bool], note: str = ""
) -> KppAssessment:
    """Record a functioning assessment (one per day; a second one the same day replaces it) and
    keep the KPP's latest result on the KPP."""
    ensure_registrar(user, kpp.kelurahan.code)
    if assessed_on > timezone.localdate() or (kpp.formed_on and assessed_on < kpp.formed_on):
        raise ValidationError(
            {"assessed_on": "tanggal penilaian tidak boleh di masa depan atau sebelum KPP dibentuk"}
        )
    keys = [item.key for item in default_settings().kpp_checklist]
    clean = {k: bool(answers.get(k)) for k in keys}
    score, functioning = assessment_score(clean)
    checked = KppAssessment(kpp=kpp, assessed_on=assessed_on, score=Decimal(str(score)), note=note)
    validated([checked], exclude=("answers", "functioning", "assessed_by"))
    assessment, _created = KppAssessment.objects.update_or_create(
        kpp=kpp,
        assessed_on=assessed_on,
        defaults={
            "answers": clean,
            "score": Decimal(str(score)),
            "functioning": functioning,
            "note": note,
            "assessed_by": user,
        },
    )
    latest = kpp.assessments.order_by("-assessed_on", "-id").first()
    Kpp.objects.filter(pk=kpp.pk).update(
        last_assessed_on=latest.assessed_on, last_score=latest.score, last_functioning=latest.functioning
    )
    kpp.last_assessed_on, kpp.last_score, kpp.last_functioning = (
        latest.assessed_on,
        latest.score,
        latest.functioning,
    )
    audit_change(
        user=user,
        object_type="kpp_assessment",
        object_id=assessment.pk,
        before=None,
        after={"on": assessed_on.isoformat(), "score": score, "functioning": functioning, **clean},
        summary=kpp.name,
    )
    return assessment


@transaction.atomic
def institution_save(*, user: AbstractBaseUser, institution: Institution) -> Institution:
    """Create or update a BKM/LKM, Pokja PKP or volunteer group of a region."""
    return _registry_save(
        user=user,
        record=institution,
        region_code=institution.region.code,
        fields=INSTITUTION_FIELDS,
        object_type="institution",
    )


def _count_members(institution: Institution) -> None:
    """Once an institution has a member list, its member counts are those of its active members."""
    active = institution.members.filter(active=True)
    institution.members_male = active.filter(gender=Member.Gender.MALE).count()
    institution.members_female = active.filter(gender=Member.Gender.FEMALE).count()
    institution.save(update_fields=["members_male", "members_female"])


@transaction.atomic
def member_add(*, user: AbstractBaseUser, institution: Institution, member: Member) -> Member:
    """Add a named member; the institution's counts by gender follow the list."""
    ensure_registrar(user, institution.region.code)
    member.institution = institution
    member.full_clean()
    member.save()
    _count_members(institution)
    audit_change(
        user=user,
        object_type="institution_member",
        object_id=member.pk,
        before=None,
        after={
            "institution": institution.pk,
            "name": member.name,
            "gender": member.gender,
            "position": member.position,
        },
        summary=institution.name,
    )
    return member


@transaction.atomic
def member_set_active(*, user: AbstractBaseUser, member: Member, active: bool) -> None:
    """Mark a member as active or no longer active (kept in the list for the record)."""
    institution = member.institution
    ensure_registrar(user, institution.region.code)
    before = member.active
    member.active = active
    member.save(update_fields=["active"])
    _count_members(institution)
    audit_change(
        user=user,
        object_type="institution_member",
        object_id=member.pk,
        before={"active": before},
        after={"active": active},
        summary=institution.name,
    )
