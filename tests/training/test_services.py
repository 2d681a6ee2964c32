"""Services and selectors of trainings on the real database: allocation, moves, attendance,
check-in, evaluation, certificates, needs and the cascade."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nolkumuh.core.models import AuditEntry
from nolkumuh.training import models
from nolkumuh.training.checkin import checkin, evaluation_submit, scores_save
from nolkumuh.training.models import (
    Attendance,
    Certificate,
    CommunityTraining,
    Competency,
    NeedsSurvey,
    Participant,
    Person,
    Programme,
    Topic,
    TrainingClass,
    Venue,
)
from nolkumuh.training.needs import needs_response_save, proposal_adopt, survey_results
from nolkumuh.training.selectors import cascade_coverage, event_report, participant_rows
from nolkumuh.training.services import (
    attendance_set,
    certificates_issue,
    community_training_add,
    event_allocate,
    participant_move,
    participants_register,
    venue_add,
)
from tests.training.conftest import person


def test_allocation_keeps_each_city_in_one_venue_within_capacity(event):
    venues = {}
    for p in event.participants.select_related("person__kabkota", "klass__venue"):
        venues.setdefault(p.person.kabkota.code, set()).add(p.klass.venue.name)
        assert p.reason, "every placement is explained"
    assert all(len(v) == 1 for v in venues.values())
    for klass in TrainingClass.objects.filter(venue__event=event):
        assert klass.participant_set.count() <= klass.capacity


def test_not_enough_places_changes_nothing(event, users, tree):
    before = dict(event.participants.values_list("pk", "klass_id"))
    participants_register(
        user=users["provinsi"],
        event=event,
        persons=[person("EXTRA-1", tree["semarang"]), person("EXTRA-2", tree["semarang"])],
    )
    participants_register(user=users["provinsi"], event=event, persons=[person("EXTRA-3", tree["semarang"])])
    with pytest.raises(ValidationError) as error:
        event_allocate(user=users["provinsi"], event=event)
    assert "1 tempat" in " ".join(error.value.messages)
    assert {k: v for k, v in event.participants.values_list("pk", "klass_id") if k in before} == before


def test_only_organisers_of_the_region_allocate(event, users):
    with pytest.raises(PermissionDenied):
        event_allocate(user=users["fasilitator"], event=event)
    with pytest.raises(PermissionDenied):  # a korkot of Semarang does not run a provincial programme
        event_allocate(user=users["korkot"], event=event)


def test_manual_move_respects_capacity_and_survives_reallocation(event, users):
    classes = TrainingClass.objects.filter(venue__event=event)
    target = next(c for c in classes if c.participant_set.count() < c.capacity)
    mover = event.participants.exclude(klass=target).first()
    participant_move(user=users["provinsi"], participant=mover, klass=target)
    mover.refresh_from_db()
    assert mover.pinned and mover.klass == target
    assert AuditEntry.objects.filter(object_type="participant", object_id=str(mover.pk)).exists()
    event_allocate(user=users["provinsi"], event=event)
    mover.refresh_from_db()
    assert mover.klass == target
    while target.participant_set.count() < target.capacity:
        participant_move(
            user=users["provinsi"], participant=event.participants.exclude(klass=target).first(), klass=target
        )
    with pytest.raises(ValidationError):
        participant_move(
            user=users["provinsi"], participant=event.participants.exclude(klass=target).first(), klass=target
        )


def test_expected_sessions_attendance_rate_and_threshold(event, users):
    rows = {r.participant.pk: r for r in participant_rows(event=event)}
    assert all(r.expected == 2 for r in rows.values())  # the venue plenary and their class session
    first = event.participants.first()
    plenary = event.sessions.get(venue=first.klass.venue, klass__isnull=True)
    own_class = event.sessions.get(klass=first.klass)
    attendance_set(user=users["provinsi"], session=plenary, present={first.pk}, expected={first.pk})
    row = next(r for r in participant_rows(event=event) if r.participant.pk == first.pk)
    assert (row.present, row.rate, row.eligible) == (1, 0.5, False)
    attendance_set(user=users["provinsi"], session=own_class, present={first.pk}, expected={first.pk})
    row = next(r for r in participant_rows(event=event) if r.participant.pk == first.pk)
    assert row.eligible and row.rate == 1
    assert attendance_set(user=users["provinsi"], session=own_class, present=set(), expected={first.pk}) == (
        0,
        1,
    )


def test_checkin_by_number_and_pin_when_open_for_the_right_class(event):
    participant = event.participants.select_related("klass").first()
    session = event.sessions.get(klass=participant.klass)

    def attempt(number, pin, method="qr"):
        return checkin(session=session, number_text=number, pin_text=pin, method=method, address="1.2.3.4")

    assert attempt(participant.code, participant.pin).status == "closed"
    session.checkin_open = True
    session.save()
    assert attempt(participant.code.lower(), participant.pin).status == "ok"
    assert attempt(str(participant.number), participant.pin, "kode").status == "already"
    assert Attendance.objects.filter(session=session, participant=participant, method="qr").count() == 1
    stranger = event.participants.exclude(klass=participant.klass).first()
    assert attempt(stranger.code, stranger.pin).status == "not_expected"
    assert attempt("P9999", "123456").status == "mismatch"


def test_evaluation_only_after_attending_and_one_per_session(event, users):
    participant = event.participants.first()
    session = event.sessions.get(klass=participant.klass)
    with pytest.raises(PermissionError):
        evaluation_submit(session=session, participant=participant, content=5, trainer=4, comment="")
    attendance_set(
        user=users["provinsi"], session=session, present={participant.pk}, expected={participant.pk}
    )
    evaluation_submit(session=session, participant=participant, content=5, trainer=4, comment="bagus")
    evaluation_submit(session=session, participant=participant, content=3, trainer=3, comment="ubah")
    assert session.evaluations.get().content == 3
    with pytest.raises(ValidationError):
        evaluation_submit(session=session, participant=participant, content=6, trainer=3, comment="")


def test_scores_gains_per_participant_topic_and_class(event, users):
    topic = Topic.objects.get(code="memorandum")
    kpp = Topic.objects.get(code="kpp")
    a, b = event.participants.order_by("number")[:2]
    scores_save(
        user=users["provinsi"],
        event_id=event.pk,
        rows=[
            (a, topic, Decimal(40), Decimal(70)),
            (a, kpp, Decimal(60), Decimal(70)),
            (b, topic, Decimal(50), None),
        ],
    )
    report = event_report(event=event)
    row = next(r for r in report["rows"] if r.participant.pk == a.pk)
    assert (row.pre, row.post, row.gain) == (50, 70, 20)
    memo = next(t for t in report["by_topic"] if t["label"] == topic.title)
    assert (memo["count"], memo["gain"], memo["normalized"]) == (1, 30, 0.5)  # b has no post-test yet
    scores_save(user=users["provinsi"], event_id=event.pk, rows=[(b, topic, Decimal(50), Decimal(60))])
    assert models.TestScore.objects.get(participant=b, topic=topic).post == 60


def test_certificates_only_for_those_meeting_the_threshold_with_stable_numbers(event, users):
    first = event.participants.first()
    for session in event.sessions.all():
        attendance_set(user=users["provinsi"], session=session, present={first.pk}, expected={first.pk})
    eligible = [r.participant for r in participant_rows(event=event) if r.eligible]
    assert eligible == [first]
    issued = certificates_issue(user=users["provinsi"], event=event, eligible=eligible)
    again = certificates_issue(user=users["provinsi"], event=event, eligible=eligible)
    assert (
        [c.number for c in issued]
        == [c.number for c in again]
        == [f"{event.pk:03d}/PK/2017/{first.number:04d}"]
    )
    assert Certificate.objects.count() == 1


def test_needs_results_and_adopting_a_proposal(tree, users, people):
    survey = NeedsSurvey.objects.create(title="TNA uji", region=tree["jateng"], year=2017)
    memo = Competency.objects.get(code="memorandum_susun")  # target 4, asked of fasilitator and askot
    fas = [p for p in people if p.role == "fasilitator"][:2]
    needs_response_save(
        user=users["provinsi"], survey=survey, person=fas[0], rater="diri", levels={memo.pk: 3}
    )
    needs_response_save(
        user=users["provinsi"], survey=survey, person=fas[0], rater="atasan", levels={memo.pk: 1}
    )
    needs_response_save(
        user=users["provinsi"], survey=survey, person=fas[1], rater="diri", levels={memo.pk: 4}
    )
    results = survey_results(survey=survey)
    proposal = results["proposals"][0]
    assert proposal["topic"].code == "memorandum"
    assert proposal["total_gap"] == 2  # (4 - (3+1)/2) + (4 - 4)
    assert [p.code for p, _g in proposal["attendees"]] == [fas[0].code]
    with pytest.raises(ValidationError):
        needs_response_save(
            user=users["provinsi"], survey=survey, person=fas[0], rater="diri", levels={memo.pk: 7}
        )
    adopted = proposal_adopt(user=users["provinsi"], survey=survey, topic_code="memorandum")
    assert adopted.registered == 1
    assert list(adopted.event.participants.values_list("person__code", flat=True)) == [fas[0].code]
    assert Programme.objects.filter(pk=adopted.programme.pk, region=tree["jateng"]).exists()


def test_cascade_coverage_counts_program_kelurahan_reached(tree, users):
    from nolkumuh.regions.services import rt_get_or_create

    for k in ("bandarharjo", "bululor", "pajang"):
        rt_get_or_create(kelurahan=tree[k], rw="001", rt="001", kawasan=None)
    training = CommunityTraining(kelurahan=tree["bandarharjo"], date=datetime.date(2017, 8, 1), title="BKM")
    community_training_add(
        user=users["fasilitator"], training=training, audience={"bkm": (5, 7), "relawan": (0, 0)}
    )
    with pytest.raises(PermissionDenied):  # the Bandarharjo facilitator does not work in Pajang
        community_training_add(
            user=users["fasilitator"],
            training=CommunityTraining(kelurahan=tree["pajang"], date=datetime.date(2017, 8, 1), title="x"),
            audience={"bkm": (1, 1)},
        )
    with pytest.raises(ValidationError):
        community_training_add(
            user=users["fasilitator"],
            training=CommunityTraining(
                kelurahan=tree["bandarharjo"], date=datetime.date(2017, 8, 1), title="x"
            ),
            audience={"bkm": (0, 0)},
        )
    province = cascade_coverage(region=tree["jateng"])
    assert (province["program"], province["reached"], province["share"]) == (3, 1, pytest.approx(1 / 3))
    semarang = next(r for r in province["rows"] if r["code"] == "33.74")
    assert (semarang["program"], semarang["reached"], semarang["men"], semarang["women"]) == (2, 1, 5, 7)


def test_a_venue_needs_at_least_one_class(event, users):
    with pytest.raises(ValidationError):
        venue_add(user=users["provinsi"], venue=Venue(event=event, name="Hotel C", capacity=5), classes=0)
    assert not Person.objects.filter(code="nobody").exists()
    assert Participant.objects.filter(event=event).count() == 10


def test_what_one_person_still_needs(tree, users, people):
    from nolkumuh.training.needs import person_needs

    survey = NeedsSurvey.objects.create(
        title="TNA", region=tree["jateng"], year=2017, supervisor_weight=Decimal("0.75")
    )
    fas = next(p for p in people if p.role == "fasilitator")
    memo, kpp = Competency.objects.get(code="memorandum_susun"), Competency.objects.get(code="kpp_bentuk")
    needs_response_save(
        user=users["provinsi"], survey=survey, person=fas, rater="diri", levels={memo.pk: 4, kpp.pk: 5}
    )
    needs_response_save(
        user=users["provinsi"], survey=survey, person=fas, rater="atasan", levels={memo.pk: 2}
    )
    rows = person_needs(person=fas)
    assert [(r["competency"].code, r["level"], r["gap"]) for r in rows] == [
        ("memorandum_susun", 2.5, 1.5),  # 0.25 x 4 + 0.75 x 2
        ("kpp_bentuk", 5.0, 0.0),
    ]
