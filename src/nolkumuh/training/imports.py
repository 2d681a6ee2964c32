"""Excel in and out for trainings: the personnel registry, participant lists, test scores and the
needs questionnaire. Every import is checked completely first (every problem with its row and
column) and then applied all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from nolkumuh.exchange.bounds import range_problem
from nolkumuh.exchange.numbers import NumberError, parse_number
from nolkumuh.exchange.parse import cell_text
from nolkumuh.exchange.read import RawSheet, normalize_name, read_sheet
from nolkumuh.exchange.write import template_sheet, workbook
from nolkumuh.regions.models import Region
from nolkumuh.scoring.issues import InvalidInput, Issue
from nolkumuh.training.checkin import participant_number, scores_save
from nolkumuh.training.models import (
    Competency,
    Event,
    Gender,
    NeedsResponse,
    NeedsSurvey,
    Person,
    Role,
    TestScore,
    Topic,
)
from nolkumuh.training.needs import needs_response_save
from nolkumuh.training.services import may_organise, participants_register, person_save

PERSON_COLUMNS = ("kode", "nama", "peran", "jenis_kelamin", "kabkota", "kode_kelurahan", "telepon", "surel")
PERSON_REQUIRED = ("kode", "nama", "peran", "jenis_kelamin", "kabkota")
LENGTH_CHECKED = (("kode", "code"), ("nama", "name"), ("telepon", "phone"), ("surel", "email"))
SCORE_COLUMNS = ("nomor_peserta", "topik", "pra", "pasca")


@dataclass
class Checked:
    """The outcome of a dry run: what would be written, and every problem found."""

    items: list[Any] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


def _open(
    path: Path, required: tuple[str, ...], sheet_name: str
) -> tuple[RawSheet | None, dict[str, int], list[Issue]]:
    try:
        sheet = read_sheet(path, sheet=sheet_name, rt_data=False)
    except InvalidInput as exc:
        return None, {}, exc.issues
    position = {normalize_name(n): j for j, n in enumerate(sheet.names)}
    issues = [Issue("missing_column", column=c, params={"hint": ""}) for c in required if c not in position]
    if not sheet.rows:
        issues.append(Issue("no_data_rows"))
    return sheet, position, issues


def _getter(row: list, position: dict[str, int]):  # type: ignore[no-untyped-def]
    return lambda name: cell_text(row[position[name]]).strip() if name in position else ""


def _choices(choices: list[tuple[str, Any]]) -> dict[str, str]:
    """Codes and their labels (any case) both accepted."""
    return {code.lower(): code for code, _label in choices} | {
        str(label).lower(): code for code, label in choices
    }


def persons_check(*, user: AbstractBaseUser, path: Path) -> Checked:
    """Rows of the personnel sheet as Person objects (new or updating the one with the same code)."""
    result = Checked()
    sheet, position, result.issues = _open(path, PERSON_REQUIRED, "personel")
    if result.issues or sheet is None:
        return result
    roles, genders = _choices(Role.choices), _choices(Gender.choices) | {"l": "L", "p": "P"}
    regions = {r.code: r for r in Region.objects.filter(level__in=["kabkota", "kelurahan"])}
    by_name = {r.name.lower(): r for r in regions.values() if r.level == "kabkota"}
    existing = {p.code: p for p in Person.objects.select_related("kabkota")}
    seen: dict[str, int] = {}
    for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
        get = _getter(row, position)
        issues = [Issue("missing_value", number, c) for c in PERSON_REQUIRED if not get(c)]
        code = get("kode")
        if code in seen:
            issues.append(Issue("duplicate_code", number, "kode", code, {"other": seen[code]}))
        seen[code] = number
        role = roles.get(get("peran").lower())
        if get("peran") and role is None:
            issues.append(
                Issue("unknown_choice", number, "peran", get("peran"), {"choices": ", ".join(Role.values)})
            )
        gender = genders.get(get("jenis_kelamin").lower())
        if get("jenis_kelamin") and gender is None:
            issues.append(
                Issue("unknown_choice", number, "jenis_kelamin", get("jenis_kelamin"), {"choices": "L, P"})
            )
        city = regions.get(get("kabkota")) or by_name.get(get("kabkota").lower())
        if get("kabkota") and (city is None or city.level != "kabkota"):
            issues.append(Issue("unknown_region", number, "kabkota", get("kabkota")))
        elif city is not None and not may_organise(user, city):
            issues.append(Issue("region_outside_scope", number, "kabkota", city.name))
        kelurahan = regions.get(get("kode_kelurahan")) if get("kode_kelurahan") else None
        if get("kode_kelurahan") and (
            kelurahan is None or city is None or not kelurahan.code.startswith(city.code + ".")
        ):
            issues.append(Issue("unknown_region", number, "kode_kelurahan", get("kode_kelurahan")))
        for column, field_name in LENGTH_CHECKED:
            limit = Person._meta.get_field(field_name).max_length
            if len(get(column)) > limit:
                issues.append(Issue("too_long", number, column, get(column)[:40] + "…", {"limit": limit}))
        if code in existing and not may_organise(user, existing[code].kabkota):
            issues.append(Issue("person_outside_scope", number, "kode", code))
        if get("surel"):
            try:
                validate_email(get("surel"))
            except ValidationError:
                issues.append(Issue("bad_email", number, "surel", get("surel")))
        if issues:
            result.issues += issues
            continue
        person = existing.get(code) or Person(code=code)
        person.name, person.role, person.gender = get("nama"), role, gender
        person.kabkota, person.kelurahan = city, kelurahan
        person.phone, person.email = get("telepon"), get("surel")
        result.items.append(person)
    return result


@transaction.atomic
def persons_apply(*, user: AbstractBaseUser, checked: Checked) -> int:
    if not checked.ok:
        raise InvalidInput(checked.issues)
    for person in checked.items:
        person_save(user=user, person=person)
    return len(checked.items)


def persons_template(path: Path) -> None:
    book = workbook(path)
    sheet, bold = template_sheet(book, "personel", PERSON_COLUMNS, width=18)
    sheet.write_row(
        1, 0, ["FAS-3374-001", "Siti Aminah", "fasilitator", "P", "33.74", "33.74.02.1001", "0812...", ""]
    )
    help_sheet = book.add_worksheet("petunjuk")
    help_sheet.write_row(0, 0, ["peran", "arti"], bold)
    for i, (code, label) in enumerate(Role.choices, start=1):
        help_sheet.write_row(i, 0, [code, str(label)])
    help_sheet.write(len(Role.choices) + 2, 0, "jenis_kelamin: L (laki-laki) atau P (perempuan)")
    help_sheet.write(
        len(Role.choices) + 3,
        0,
        "kabkota: kode (33.74) atau nama (Kota Semarang); kode_kelurahan boleh kosong",
    )
    help_sheet.write(len(Role.choices) + 4, 0, "Kode yang sudah ada memperbarui data orang itu.")
    help_sheet.set_column(0, 1, 40)
    book.close()


def participants_check(*, event: Event, path: Path) -> Checked:
    """A list of personnel codes (column ``kode``) to register for the event."""
    result = Checked()
    sheet, position, result.issues = _open(path, ("kode",), "peserta")
    if result.issues or sheet is None:
        return result
    people = {p.code: p for p in Person.objects.filter(active=True)}
    for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
        code = _getter(row, position)("kode")
        if code not in people:
            result.issues.append(Issue("unknown_person", number, "kode", code or None))
        else:
            result.items.append(people[code])
    return result


def participants_apply(*, user: AbstractBaseUser, event: Event, checked: Checked) -> int:
    if not checked.ok:
        raise InvalidInput(checked.issues)
    return participants_register(user=user, event=event, persons=checked.items)


def parse_score(text: str, lang: str = "cell") -> tuple[Decimal | None, str | None]:
    """A test score from a cell or a form field: empty, or a number 0-100 rounded half up to two
    decimals (what Excel computes, e.g. 83.333333, is kept as 83.33). Returns (value, problem)."""
    if not text.strip():
        return None, None
    try:
        value = parse_number(text, lang=lang)
    except NumberError as exc:
        return None, "not_a_number" if exc.problem.params else exc.problem.code  # codes without params
    if value is None:
        return None, None
    if range_problem("percent", value) is not None:
        return None, "score_range"
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), None


def _score(text: str, number: int, column: str, issues: list[Issue]) -> Decimal | None:
    value, problem = parse_score(text)
    if problem:
        issues.append(Issue(problem, number, column, text))
    return value


def scores_check(*, event: Event, path: Path) -> Checked:
    """Rows of participant number, topic code, pre-test and post-test score (0-100)."""
    result = Checked()
    sheet, position, result.issues = _open(path, ("nomor_peserta", "topik"), "nilai")
    if result.issues or sheet is None:
        return result
    participants = {p.number: p for p in event.participants.select_related("event__programme__region")}
    topics = {t.code: t for t in Topic.objects.all()}
    seen: dict[tuple[int, str], int] = {}
    for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
        get = _getter(row, position)
        issues: list[Issue] = []
        participant = participants.get(participant_number(get("nomor_peserta")) or -1)
        key = (participant.pk if participant else -1, get("topik"))
        if participant is not None and key in seen:
            issues.append(
                Issue("duplicate_score", number, "nomor_peserta", participant.code, {"other": seen[key]})
            )
        seen.setdefault(key, number)
        if participant is None:
            issues.append(Issue("unknown_participant", number, "nomor_peserta", get("nomor_peserta") or None))
        topic = topics.get(get("topik"))
        if topic is None:
            issues.append(
                Issue("unknown_topic", number, "topik", get("topik") or None, {"choices": ", ".join(topics)})
            )
        pre, post = _score(get("pra"), number, "pra", issues), _score(get("pasca"), number, "pasca", issues)
        if issues:
            result.issues += issues
        else:
            result.items.append((participant, topic, pre, post))
    return result


def scores_apply(*, user: AbstractBaseUser, event: Event, checked: Checked) -> int:
    if not checked.ok:
        raise InvalidInput(checked.issues)
    return scores_save(user=user, event_id=event.pk, rows=checked.items)


def scores_template(path: Path, event: Event) -> None:
    """One row per participant and topic of the event's sessions, scores to fill in."""
    book = workbook(path)
    bold = book.add_format({"bold": True, "bg_color": "#e8eef5"})
    sheet = book.add_worksheet("nilai")
    sheet.write_row(0, 0, [*SCORE_COLUMNS, "nama"], bold)
    topics = Topic.objects.filter(session__event=event).distinct().order_by("order")
    existing = {(s.participant_id, s.topic_id): s for s in TestScore.objects.filter(participant__event=event)}
    r = 1
    for p in event.participants.select_related("person"):
        for t in topics:
            s = existing.get((p.pk, t.pk))
            sheet.write_row(r, 0, [p.code, t.code, s and s.pre, s and s.post, p.person.name])
            r += 1
    sheet.set_column(0, 1, 22)
    sheet.set_column(4, 4, 30)
    book.close()


def needs_template(path: Path, survey: NeedsSurvey, people: list[Person]) -> None:
    """A row for each person's self rating and one for the supervisor's; the competencies not asked
    of a role are greyed out."""
    book = workbook(path)
    bold = book.add_format({"bold": True, "bg_color": "#e8eef5", "text_wrap": True})
    grey = book.add_format({"bg_color": "#d9d9d9"})
    sheet = book.add_worksheet("kuesioner")
    competencies = list(Competency.objects.select_related("topic"))
    sheet.write_row(
        0, 0, ["kode_personel", "penilai", "nama", "peran", *[c.code for c in competencies]], bold
    )
    r = 1
    for person in people:
        for rater in NeedsResponse.Rater.values:
            sheet.write_row(r, 0, [person.code, rater, person.name, person.role])
            for j, c in enumerate(competencies, start=4):
                if person.role not in c.roles:
                    sheet.write_blank(r, j, None, grey)
            r += 1
    sheet.data_validation(
        1,
        4,
        max(r, 2),
        3 + len(competencies),
        {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 5},
    )
    sheet.freeze_panes(1, 4)
    help_sheet = book.add_worksheet("petunjuk")
    help_sheet.write_row(0, 0, ["kode", "topik", "pernyataan", "peran", "target"], bold)
    for i, c in enumerate(competencies, start=1):
        help_sheet.write_row(i, 0, [c.code, c.topic.title, c.statement, ", ".join(c.roles), c.target])
    help_sheet.write(
        len(competencies) + 2,
        0,
        "Isi 1-5: 1 belum mengenal, 2 tahu dasar, 3 bisa dengan bantuan, 4 mandiri, 5 bisa mengajarkan.",
    )
    help_sheet.write(len(competencies) + 3, 0, f"penilai: diri atau atasan. Survei: {survey.title}")
    help_sheet.set_column(0, 3, 30)
    book.close()


def needs_check(*, user: AbstractBaseUser, survey: NeedsSurvey, path: Path) -> Checked:
    """Questionnaire rows: personnel code, rater, and a 1-5 level per competency column."""
    result = Checked()
    sheet, position, result.issues = _open(path, ("kode_personel", "penilai"), "kuesioner")
    if result.issues or sheet is None:
        return result
    people = {p.code: p for p in Person.objects.select_related("kabkota")}
    competencies = {c.code: c for c in Competency.objects.all()}
    raters = _choices(NeedsResponse.Rater.choices)
    columns = [c for c in position if c in competencies]
    for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
        get = _getter(row, position)
        issues: list[Issue] = []
        person = people.get(get("kode_personel"))
        if person is None:
            issues.append(Issue("unknown_person", number, "kode_personel", get("kode_personel") or None))
        elif not may_organise(user, person.kabkota):
            issues.append(Issue("region_outside_scope", number, "kode_personel", person.kabkota.name))
        rater = raters.get(get("penilai").lower())
        if rater is None:
            issues.append(
                Issue(
                    "unknown_choice", number, "penilai", get("penilai") or None, {"choices": "diri, atasan"}
                )
            )
        levels: dict[int, int | None] = {}
        for code in columns:
            text = get(code)
            if not text:
                continue
            c = competencies[code]
            if text not in {"1", "2", "3", "4", "5", "1.0", "2.0", "3.0", "4.0", "5.0"}:
                issues.append(Issue("level_range", number, code, text))
            elif person is not None and person.role not in c.roles:
                issues.append(Issue("not_asked", number, code, text, {"role": person.role}))
            else:
                levels[c.pk] = int(float(text))
        if issues:
            result.issues += issues
        elif levels:
            result.items.append((person, rater, levels))
    return result


@transaction.atomic
def needs_apply(*, user: AbstractBaseUser, survey: NeedsSurvey, checked: Checked) -> int:
    if not checked.ok:
        raise InvalidInput(checked.issues)
    for person, rater, levels in checked.items:
        needs_response_save(user=user, survey=survey, person=person, rater=rater, levels=levels)
    return len(checked.items)
