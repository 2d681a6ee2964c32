""" "Tugas saya" (issue 13, item 3): each demo role lands on what waits on it; the lists follow the
workflow's steps; bulk verify is one confirmed action, each kelurahan stepped and audited on its
own; unlock requests are asked, listed, withdrawn and closed by the unlock; outside the scope,
nothing is shown or changed."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from nolkumuh.accounts.demo import PASSWORD
from nolkumuh.accounts.models import Membership, Role
from nolkumuh.baseline import bulk
from nolkumuh.baseline.models import DataRound, Submission, SubmissionEvent, UnlockRequest
from nolkumuh.baseline.services import submission_transition
from nolkumuh.core.models import AuditEntry
from nolkumuh.regions.models import Region

pytestmark = pytest.mark.django_db
BANDARHARJO, SECOND = "33.74.02.1001", "33.74.03.1001"  # the demo: a draft, and one submitted (2023)


def user(name: str):  # type: ignore[no-untyped-def]
    return get_user_model().objects.get(username=name)


def client_of(name: str) -> Client:
    client = Client()
    client.force_login(user(name))
    return client


def tasks_page(name: str) -> str:
    response = client_of(name).get("/tugas-saya/")
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, name: str) -> str:
    """The HTML of one section of the page (empty when it is not there)."""
    found = re.search(rf'<section id="tasks-{name}">(.*?)</section>', html, re.S)
    return found.group(1) if found else ""


def step(name: str, code: str, action: str, reason: str = "", year: int = 2023) -> None:
    submission_transition(
        user=user(name),
        kelurahan=Region.objects.get(code=code),
        round=DataRound.objects.get(year=year),
        action=action,
        reason=reason,
    )


def status(code: str, year: int = 2023) -> str:
    return Submission.objects.get(kelurahan__code=code, round__year=year).status


@pytest.mark.parametrize("name", ["admin", "provinsi", "korkot", "askot", "fasilitator"])
def test_every_demo_role_lands_on_tugas_saya_after_signing_in(demo, name):
    client = Client()
    response = client.post("/akun/masuk/", {"username": name, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/tugas-saya/"
    page = client.get("/tugas-saya/").content.decode()
    assert "<h1>Tugas saya</h1>" in page and 'href="/tugas-saya/">Tugas saya</a>' in page


def test_the_fasilitator_sees_drafts_and_rts_without_data_of_the_current_round(demo):
    page = tasks_page("fasilitator")
    drafts = section(page, "drafts")
    assert f'href="/data/{BANDARHARJO}/2023/">Kelurahan Bandarharjo</a>' in drafts
    assert "draf · Menunggu pengajuan oleh fasilitator" in drafts and "8 / 8" in drafts
    assert "Semua RT sudah berisi data putaran ini." in section(page, "missing")
    # nothing of the second fasilitator's kelurahan, no list of another role
    assert SECOND not in page and "tasks-waiting" not in page and "tasks-completeness" not in page


def test_an_rt_without_data_is_counted_for_its_kelurahan(demo):
    from nolkumuh.regions.services import rt_get_or_create

    rt_get_or_create(kelurahan=Region.objects.get(code=BANDARHARJO), rw="009", rt="001")
    missing = section(tasks_page("fasilitator"), "missing")
    assert f'href="/data/{BANDARHARJO}/2023/">Kelurahan Bandarharjo</a>: 1 dari 9 RT belum diisi' in missing


def test_the_askot_sees_submissions_with_a_link_to_their_review(demo):
    waiting = section(tasks_page("askot"), "waiting")
    assert "Menunggu verifikasi askot" in waiting
    assert f'href="/tinjau/{SECOND}/2023/">Tinjau perubahan</a>' in waiting
    assert BANDARHARJO not in waiting  # a draft is the fasilitator's
    # the KPI values of Kota Semarang 2023 wait for verification too, by name, never by key
    kpi = section(tasks_page("askot"), "kpi")
    assert 'href="/kpi/33.74/"' in kpi and "perempuan_rapat" not in kpi and "diajukan" in kpi


def test_each_step_moves_the_kelurahan_to_the_next_role_and_a_rejection_shows_its_reason(demo):
    step("fasilitator", BANDARHARJO, "submit")
    assert f"/tinjau/{BANDARHARJO}/2023/" in section(tasks_page("askot"), "waiting")
    assert BANDARHARJO not in section(tasks_page("fasilitator"), "drafts")
    step("askot", BANDARHARJO, "verify")
    assert f"/tinjau/{BANDARHARJO}/2023/" not in section(tasks_page("askot"), "waiting")
    korkot = section(tasks_page("korkot"), "waiting")
    assert "Menunggu persetujuan korkot" in korkot and f"/tinjau/{BANDARHARJO}/2023/" in korkot
    step("korkot", BANDARHARJO, "reject", reason="Luas RT 002/003 tertukar dengan RT 002/004.")
    page = tasks_page("fasilitator")
    rejected = section(page, "rejections")
    assert "ditolak oleh korkot" in rejected
    assert '<em class="reason">Luas RT 002/003 tertukar dengan RT 002/004.</em>' in rejected
    assert BANDARHARJO in section(page, "drafts")
    assert f"/tinjau/{BANDARHARJO}/2023/" not in section(tasks_page("korkot"), "waiting")


def test_the_provinsi_sees_completeness_per_city(demo):
    page = tasks_page("provinsi")
    table = section(page, "completeness")
    row = re.search(r'href="/kelengkapan/33\.74/\?tahun=2023">Kota Semarang</a></td>(.*?)</tr>', table, re.S)
    assert row is not None
    numbers = re.findall(r'<td class="n">([^<]*)</td>', row.group(1))
    # 6 program kelurahan of 8 RTs, all with 2023 data: 2 drafts, 2 submitted, 2 approved
    submissions = Submission.objects.filter(round__year=2023, kelurahan__code__startswith="33.74.")
    expected = [submissions.filter(status=s).count() for s in ("draft", "submitted", "verified", "approved")]
    assert numbers == ["48 / 48", *[str(n) for n in expected]]
    assert "Tidak ada permintaan buka kunci yang menunggu." in section(page, "unlock")


def test_the_lists_take_a_handful_of_queries_whatever_the_scope(demo, django_assert_max_num_queries):
    client = client_of("admin")
    with django_assert_max_num_queries(20):
        assert client.get("/tugas-saya/").status_code == 200


def test_a_list_longer_than_its_bound_says_how_many_more(demo, monkeypatch):
    from nolkumuh.portal import tasks

    monkeypatch.setattr(tasks, "LIST_LIMIT", 2)
    page = tasks_page("admin")
    assert "dan 3 lainnya" in section(page, "completeness")  # five demo cities, two shown


def test_bulk_verify_asks_first_then_steps_and_audits_each_kelurahan(demo):
    step("fasilitator", BANDARHARJO, "submit")
    ids = [str(Submission.objects.get(kelurahan__code=c, round__year=2023).pk) for c in (BANDARHARJO, SECOND)]
    askot = client_of("askot")
    audits = AuditEntry.objects.count()
    confirm = askot.post("/tugas-saya/langkah/", {"action": "verify", "ids": ids}).content.decode()
    assert "Pastikan" in confirm and "2 kelurahan akan diverifikasi" in confirm
    assert "<strong>Kelurahan Bandarharjo 2023</strong>: akan diverifikasi" in confirm
    assert status(BANDARHARJO) == status(SECOND) == "submitted" and AuditEntry.objects.count() == audits
    confirmed = {"action": "verify", "ids": ids, "confirm": "1"}
    response = askot.post("/tugas-saya/langkah/", confirmed, follow=True)
    assert status(BANDARHARJO) == status(SECOND) == "verified"
    entries = AuditEntry.objects.filter(object_type="submission", action="verify").order_by("id")
    assert sorted(e.object_id for e in entries) == sorted(ids)
    assert SubmissionEvent.objects.filter(action="verify", user=user("askot")).count() == 2
    assert "Sudah diverifikasi: Kelurahan Bandarharjo 2023, Kelurahan" in response.content.decode()


def test_bulk_step_names_the_kelurahan_a_same_person_rule_refuses_and_does_the_others(demo):
    step("korkot", BANDARHARJO, "submit")  # the korkot submitted it: someone else must verify
    ids = [str(Submission.objects.get(kelurahan__code=c, round__year=2023).pk) for c in (BANDARHARJO, SECOND)]
    korkot = client_of("korkot")
    message = "Verifikasi dan persetujuan harus oleh orang lain daripada yang melakukan langkah sebelumnya."
    confirm = korkot.post("/tugas-saya/langkah/", {"action": "verify", "ids": ids}).content.decode()
    refused = f"<strong>Kelurahan Bandarharjo 2023</strong>: <em>tidak akan diverifikasi. {message}</em>"
    assert refused in confirm
    assert "1 kelurahan akan diverifikasi" in confirm
    page = korkot.post("/tugas-saya/langkah/", {"action": "verify", "ids": ids, "confirm": "1"}, follow=True)
    text = page.content.decode()
    assert status(SECOND) == "verified" and status(BANDARHARJO) == "submitted"
    assert f"Tidak diverifikasi: Kelurahan Bandarharjo 2023. {message}" in text
    assert "Sudah diverifikasi: Kelurahan" in text


def test_bulk_step_refuses_more_than_its_bound_and_changes_nothing(demo, monkeypatch):
    monkeypatch.setattr(bulk, "BULK_LIMIT", 1)
    from nolkumuh.portal import task_views

    monkeypatch.setattr(task_views, "BULK_LIMIT", 1)
    ids = [str(s.pk) for s in Submission.objects.filter(round__year=2023, status="submitted")[:2]]
    response = client_of("askot").post(
        "/tugas-saya/langkah/", {"action": "verify", "ids": ids, "confirm": "1"}, follow=True
    )
    assert "Paling banyak 1 kelurahan sekaligus; Anda memilih 2." in response.content.decode()
    assert not SubmissionEvent.objects.filter(action="verify").exists()


def test_bulk_step_outside_the_scope_does_nothing_and_names_nothing(demo):
    outsider = get_user_model().objects.create_user(username="askot_solo", password="x-uji-12345")
    Membership.objects.create(user=outsider, role=Role.ASKOT).regions.set(Region.objects.filter(code="33.72"))
    client = Client()
    client.force_login(outsider)
    pk = str(Submission.objects.get(kelurahan__code=SECOND, round__year=2023).pk)
    page = client.post("/tugas-saya/langkah/", {"action": "verify", "ids": [pk], "confirm": "1"}, follow=True)
    text = page.content.decode()
    assert "Tidak ada kelurahan terpilih yang bisa diproses." in text and "Kelurahan Bandarharjo" not in text
    assert status(SECOND) == "submitted"
    assert client.get(f"/tinjau/{SECOND}/2023/").status_code == 404


def test_a_fasilitator_cannot_bulk_verify(demo):
    pk = str(Submission.objects.get(kelurahan__code=BANDARHARJO, round__year=2023).pk)
    step("fasilitator", BANDARHARJO, "submit")
    page = client_of("fasilitator").post(
        "/tugas-saya/langkah/", {"action": "verify", "ids": [pk], "confirm": "1"}, follow=True
    )
    assert "Anda tidak berwenang melakukan langkah ini." in page.content.decode()
    assert status(BANDARHARJO) == "submitted"


def test_an_unknown_bulk_action_is_refused(demo):
    page = client_of("askot").post("/tugas-saya/langkah/", {"action": "unlock", "ids": ["1"]}, follow=True)
    assert "Tindakan tidak dikenal." in page.content.decode()


def test_public_visitors_never_see_tugas_saya(demo):
    client = Client()
    assert "Tugas saya" not in client.get("/").content.decode()
    assert client.get("/tugas-saya/")["Location"].startswith("/akun/masuk/")
    assert client.post("/tugas-saya/langkah/", {"action": "verify"})["Location"].startswith("/akun/masuk/")


def test_unlock_request_is_shown_listed_and_closed_by_the_unlock(demo):
    fasilitator = client_of("fasilitator")
    page = fasilitator.get(f"/data/{BANDARHARJO}/2022/").content.decode()
    assert "Minta buka kunci" in page and status(BANDARHARJO, 2022) == "approved"
    assert "Minta buka kunci" not in client_of("provinsi").get(f"/data/{BANDARHARJO}/2022/").content.decode()
    reason = "Jumlah KK RT 001/002 tertulis 15, seharusnya 51."
    fasilitator.post(f"/buka-kunci/{BANDARHARJO}/2022/", {"reason": reason})
    request = UnlockRequest.objects.get()
    assert request.status == "open" and request.requested_by == user("fasilitator")
    assert AuditEntry.objects.filter(object_type="unlock_request", action="unlock_request").count() == 1
    page = fasilitator.get(f"/data/{BANDARHARJO}/2022/").content.decode()
    assert "Permintaan buka kunci menunggu manajer provinsi" in page and "Tarik permintaan" in page
    listed = section(tasks_page("provinsi"), "unlock")
    assert f'href="/data/{BANDARHARJO}/2022/">Kelurahan Bandarharjo 2022</a>' in listed and reason in listed
    step("provinsi", BANDARHARJO, "unlock", reason="Dibuka atas permintaan fasilitator.", year=2022)
    request.refresh_from_db()
    assert request.status == "closed" and request.closed_by == user("provinsi")
    assert "Tidak ada permintaan buka kunci yang menunggu." in section(tasks_page("provinsi"), "unlock")


def test_an_unlock_request_can_be_withdrawn_by_whoever_asked_only(demo):
    client_of("fasilitator").post(f"/buka-kunci/{BANDARHARJO}/2022/", {"reason": "Luas salah."})
    request = UnlockRequest.objects.get()
    refused = client_of("askot").post(f"/buka-kunci/{BANDARHARJO}/2022/{request.pk}/tarik/", follow=True)
    assert "Hanya yang meminta yang bisa menarik permintaan ini." in refused.content.decode()
    client_of("fasilitator").post(f"/buka-kunci/{BANDARHARJO}/2022/{request.pk}/tarik/")
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert AuditEntry.objects.filter(action="unlock_request_withdrawn").count() == 1
    assert "Minta buka kunci" in client_of("fasilitator").get(f"/data/{BANDARHARJO}/2022/").content.decode()


@pytest.mark.parametrize(
    ("year", "reason", "message"),
    [
        (2022, "  ", "Tuliskan alasannya: apa yang perlu diperbaiki dan mengapa"),
        (2023, "Luas salah.", "Hanya data yang sudah disetujui yang bisa dimintakan buka kunci."),
    ],
)
def test_an_unlock_request_needs_a_reason_and_approved_data(demo, year, reason, message):
    client = client_of("fasilitator")
    page = client.post(f"/buka-kunci/{BANDARHARJO}/{year}/", {"reason": reason}, follow=True)
    assert message in page.content.decode() and not UnlockRequest.objects.exists()


def test_only_one_unlock_request_waits_per_kelurahan_and_round(demo):
    client_of("fasilitator").post(f"/buka-kunci/{BANDARHARJO}/2022/", {"reason": "Luas salah."})
    page = client_of("askot").post(f"/buka-kunci/{BANDARHARJO}/2022/", {"reason": "KK salah."}, follow=True)
    assert "Sudah ada permintaan buka kunci yang menunggu" in page.content.decode()
    assert UnlockRequest.objects.count() == 1


def test_unlock_requests_outside_the_scope_are_not_found(demo):
    outside = client_of("fasilitator2")  # works in 33.74.03.1001
    assert outside.post(f"/buka-kunci/{BANDARHARJO}/2022/", {"reason": "x"}).status_code == 404
    client_of("fasilitator").post(f"/buka-kunci/{BANDARHARJO}/2022/", {"reason": "Luas salah."})
    pk = UnlockRequest.objects.get().pk
    assert outside.post(f"/buka-kunci/{BANDARHARJO}/2022/{pk}/tarik/").status_code == 404
    assert UnlockRequest.objects.get().status == "open"
    # the provinsi sees the request but is no requester
    page = client_of("provinsi").post(f"/buka-kunci/{BANDARHARJO}/2022/", {"reason": "x"}, follow=True)
    refused = "Hanya fasilitator, askot atau korkot kelurahan ini yang bisa meminta buka kunci."
    assert refused in page.content.decode()


def test_the_korkot_approves_verified_data_of_several_kelurahan_in_one_confirmed_step(demo):
    step("askot", SECOND, "verify")
    step("fasilitator", BANDARHARJO, "submit")
    step("askot", BANDARHARJO, "verify")
    waiting = section(tasks_page("korkot"), "waiting")
    assert "Setujui yang dicentang" in waiting
    ids = [str(Submission.objects.get(kelurahan__code=c, round__year=2023).pk) for c in (BANDARHARJO, SECOND)]
    client = client_of("korkot")
    client.post("/tugas-saya/langkah/", {"action": "approve", "ids": ids, "confirm": "1"})
    assert status(BANDARHARJO) == status(SECOND) == "approved"
    assert AuditEntry.objects.filter(object_type="submission", action="approve").count() == 2
    assert "Tidak ada data yang menunggu Anda." in section(tasks_page("korkot"), "waiting")


def test_realizations_waiting_for_the_askot_are_listed_with_their_kelurahan_page(demo):
    from nolkumuh.planning.models import Realization

    waiting = Realization.objects.filter(status="submitted", rt__kelurahan__code__startswith="33.74.")
    assert waiting.exists()  # the demo has some
    listed = section(tasks_page("askot"), "realizations")
    for realization in waiting:
        assert f'href="/data/{realization.rt.kelurahan.code}/2023/"' in listed
    assert "diajukan" in listed and "tasks-realizations" not in tasks_page("provinsi")
