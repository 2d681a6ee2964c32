"""The monitoring KPIs and dashboard read the training app: staff trained and women's share."""

from __future__ import annotations

import datetime

from django.test import Client

from nolkumuh.monitoring.kpi_sources import SOURCES, KpiBatch
from nolkumuh.training.models import CommunityTraining
from nolkumuh.training.selectors import participant_rows, training_panel
from nolkumuh.training.services import attendance_set, community_training_add
from tests.web.conftest import PASSWORD


def _attend(event, user, who):  # type: ignore[no-untyped-def]
    expected = {r.participant.pk for r in participant_rows(event=event)}
    for session in event.sessions.all():
        attendance_set(user=user, session=session, present=set(who), expected=expected)


def test_facilitators_trained_counts_staff_meeting_the_threshold_by_where_they_work(event, users, tree):
    semarang = list(event.participants.filter(person__kabkota__code="33.74").order_by("number"))
    solo = list(event.participants.filter(person__kabkota__code="33.72").order_by("number"))
    _attend(event, users["provinsi"], [p.pk for p in semarang[:3] + solo[:1]])
    readings = SOURCES["facilitators_trained"](KpiBatch(["33", "33.74", "33.72", "33.74.02"], 2017))
    assert {code: r.value for code, r in readings.items()} == {
        "33": 4.0,
        "33.74": 3.0,
        "33.72": 1.0,
        "33.74.02": 0.0,
    }
    assert SOURCES["facilitators_trained"](KpiBatch(["33"], 2018))["33"].value == 0.0


def test_women_share_counts_event_participants_and_community_audiences(event, users, tree):
    # the fixture: 6 Semarang staff (3 women) and 4 Surakarta staff (2 women)
    community_training_add(
        user=users["fasilitator"],
        training=CommunityTraining(
            kelurahan=tree["bandarharjo"], date=datetime.date(2017, 9, 1), title="KPP"
        ),
        audience={"bkm": (4, 6)},
    )
    readings = SOURCES["women_in_trainings"](KpiBatch(["33", "33.74", "33.72"], 2017))
    assert readings["33.74"].value == 56.25  # (3 + 6) women of 16
    assert readings["33.72"].value == 50.0
    assert readings["33"].value == round(11 / 20 * 100, 2)
    assert SOURCES["women_in_trainings"](KpiBatch(["33"], 2019))["33"].value is None


def test_the_dashboard_shows_the_trainings_panel(event, users):
    _attend(event, users["provinsi"], [p.pk for p in event.participants.all()])
    panel = training_panel(code="33", year=2017)
    assert (panel["trained"], panel["men"] + panel["women"], [e.pk for e in panel["events"]]) == (
        10,
        10,
        [event.pk],
    )
    client = Client()
    assert client.login(username="prov", password=PASSWORD)
    page = client.get("/dasbor/33/?tahun=2017").content.decode()
    assert 'id="trainings-panel"' in page and event.title in page
