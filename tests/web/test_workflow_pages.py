"""The pages offer only the workflow steps the viewer may take now, say who acts next, show locked
RT data read-only, and speak the workflow's words (draf, diajukan, diverifikasi, disetujui,
ditolak, dibuka kembali)."""

from __future__ import annotations

import io
import re

import docx
import openpyxl
import pytest
from django.urls import reverse

from nolkumuh.baseline.models import RtRecord, Submission
from nolkumuh.baseline.services import submission_transition
from tests.web.workflow_cases import ROLES, STATUSES, allowed, kpi_value, realization, rt_data, with_admin

K = "33.74.02.1001"
WAITING = {
    "draft": "Menunggu pengajuan oleh fasilitator",
    "submitted": "Menunggu verifikasi askot",
    "verified": "Menunggu persetujuan korkot",
    "approved": "Selesai: data disetujui",
}
LOCKED_APPROVED = "Hanya manajer provinsi atau administrator yang dapat membukanya kembali"
BUTTON = re.compile(r"<button[^>]*formaction=\"([^\"]+)\"[^>]*>([^<]+)</button>")
LABELS = {
    "submit": "Ajukan",
    "verify": "Verifikasi",
    "approve": "Setujui",
    "reject": "Tolak",
    "unlock": "Buka kunci",
}


@pytest.fixture
def people(users):
    return with_admin(users)


def buttons(html: str, prefix: str) -> set[str]:
    """The steps offered by the buttons whose target starts with ``prefix``, each checked against
    its label."""
    found = set()
    for target, label in BUTTON.findall(html):
        if target.startswith(prefix):
            action = target.rstrip("/").rsplit("/", 1)[1]
            assert label.strip() == LABELS[action]
            found.add(action)
    return found


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "fasilitator_solo"])
def test_each_role_sees_exactly_the_steps_it_may_take(role, status, client, people, tree, round2024):
    subjects = [make(people, tree, round2024) for make in (rt_data, realization, kpi_value)]
    for subject in subjects:
        subject.set_status(status, people["colleague"])
    client.force_login(people[role])
    page = client.get(reverse("baseline:kelurahan", args=[K, 2024])).content.decode()
    want = allowed(status, role)
    assert buttons(page, f"/data/{K}/2024/") == want
    z_prefix = reverse("planning:realization_action", args=[1, "x"]).split("/1/")[0] + "/"
    assert buttons(page, z_prefix) == want
    assert WAITING[status] in page
    assert ("Alasan (wajib untuk menolak atau membuka kunci)" in page) == bool(want & {"reject", "unlock"})
    kpi = client.get(reverse("monitoring:kpi", args=[K])).content.decode()
    k_prefix = reverse("monitoring:kpi_action", args=[1, "x"]).split("/1/")[0] + "/"
    assert buttons(kpi, k_prefix) == want
    assert WAITING[status] in kpi


def test_the_approver_does_not_see_approve_on_what_they_verified(client, people, tree, round2024):
    subject = rt_data(people, tree, round2024)
    subject.act(people["fasilitator"], "submit")
    subject.act(people["korkot"], "verify")
    client.force_login(people["korkot"])
    page = client.get(reverse("baseline:kelurahan", args=[K, 2024])).content.decode()
    assert buttons(page, f"/data/{K}/2024/") == {"reject"}


@pytest.mark.parametrize("status", ["submitted", "verified", "approved"])
def test_locked_rt_data_is_read_only_with_the_lock_notice(status, client, people, tree, round2024):
    subject = rt_data(people, tree, round2024)
    subject.set_status(status, people["colleague"])
    record = RtRecord.objects.get()
    client.force_login(people["fasilitator"])
    url = reverse("baseline:rt_edit", args=[K, 2024, record.rt_id])
    page = client.get(url).content.decode()
    assert (
        'name="luas"' not in page and "Simpan</button>" not in page and "<input" not in page.split("</h1>")[1]
    )
    assert 'id="lock-notice"' in page and 'id="rt-values"' in page
    assert (LOCKED_APPROVED in page) == (status == "approved")
    kelurahan = client.get(reverse("baseline:kelurahan", args=[K, 2024])).content.decode()
    assert (
        "Tambah dan isi data" not in kelurahan and ">lihat</a>" in kelurahan and ">ubah</a>" not in kelurahan
    )
    assert 'id="lock-notice"' in kelurahan


def test_typing_into_an_approved_rt_is_refused_and_nothing_changes(client, people, tree, round2024):
    subject = rt_data(people, tree, round2024)
    subject.set_status("approved", people["colleague"])
    record = RtRecord.objects.get()
    client.force_login(people["fasilitator"])
    url = reverse("baseline:rt_edit", args=[K, 2024, record.rt_id])
    page = client.post(url, {"luas": "9", "jumlah_kk": "1"}).content.decode()
    assert "Data ini tidak bisa diubah sekarang; perubahan tidak disimpan." in page
    assert LOCKED_APPROVED in page and 'name="luas"' not in page
    assert RtRecord.objects.get().luas == record.luas


def test_a_draft_stays_editable_for_its_fasilitator_and_read_only_for_the_askot(
    client, people, tree, round2024
):
    rt_data(people, tree, round2024)
    url = reverse("baseline:rt_edit", args=[K, 2024, RtRecord.objects.get().rt_id])
    client.force_login(people["fasilitator"])
    assert 'name="luas"' in client.get(url).content.decode()
    client.force_login(people["askot"])
    page = client.get(url).content.decode()
    assert 'name="luas"' not in page and "tetapi tidak mengubahnya" in page


def test_the_history_and_the_rejection_speak_indonesian(client, people, tree, round2024):
    subject = rt_data(people, tree, round2024)
    subject.act(people["fasilitator"], "submit")
    subject.act(people["askot"], "reject", "luas RT 001 tidak sesuai peta")
    client.force_login(people["fasilitator"])
    page = client.get(reverse("baseline:kelurahan", args=[K, 2024])).content.decode()
    assert "ditolak (diajukan → draf)" in page and "diajukan (draf → diajukan)" in page
    rejection = page.index('id="rejection"')
    assert rejection < page.index("<table") and "luas RT 001 tidak sesuai peta" in page[rejection:]
    assert not re.search(r"\b(draft|submitted|verified|approved) →", page)
    subject.act(people["fasilitator"], "submit")
    page = client.get(reverse("baseline:kelurahan", args=[K, 2024])).content.decode()
    assert 'id="rejection"' not in page  # answered by submitting again


def test_unlocking_reads_dibuka_kembali(client, people, tree, round2024):
    subject = rt_data(people, tree, round2024)
    subject.set_status("approved", people["colleague"])
    subject.act(people["provinsi"], "unlock", "salah ketik luas")
    client.force_login(people["fasilitator"])
    page = client.get(reverse("baseline:kelurahan", args=[K, 2024])).content.decode()
    assert "dibuka kembali (disetujui → draf): <em>salah ketik luas</em>" in page


def test_the_progress_report_names_the_status_in_words(client, people, tree, round2024):
    subject = rt_data(people, tree, round2024)
    subject.act(people["fasilitator"], "submit")
    assert Submission.objects.get().status == "submitted"
    client.force_login(people["korkot"])
    response = client.get(reverse("monitoring:report", args=["33.74", "docx"]) + "?bulan=2024-05")
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs
    )
    assert "Kelurahan Bandarharjo: data putaran terakhir belum disetujui (diajukan)" in text
    response = client.get(reverse("monitoring:report", args=["33.74", "xlsx"]) + "?bulan=2024-05")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["perlu_perhatian"]
    assert [c.value for c in sheet[2]] == [K, "Bandarharjo", "diajukan"]


def test_the_audit_summary_of_a_step_uses_the_words(people, tree, round2024):
    from nolkumuh.core.models import AuditEntry

    rt_data(people, tree, round2024)
    submission_transition(
        user=people["fasilitator"], kelurahan=tree["bandarharjo"], round=round2024, action="submit"
    )
    assert AuditEntry.objects.get(object_type="submission").summary == "Bandarharjo 2024: draf → diajukan"


def test_a_round_without_rt_data_offers_no_submit(client, people, tree, round2024):
    client.force_login(people["fasilitator"])
    url = reverse("baseline:kelurahan", args=[K, 2024])
    page = client.get(url).content.decode()
    assert not RtRecord.objects.exists() and buttons(page, f"/data/{K}/2024/") == set()
    assert "Belum ada RT." in page  # the page says what to do instead
    rt_data(people, tree, round2024)  # one RT with data: now it can be submitted
    assert buttons(client.get(url).content.decode(), f"/data/{K}/2024/") == {"submit"}


def test_looking_at_a_kelurahan_page_writes_nothing(client, people, tree, round2024):
    client.force_login(people["fasilitator"])
    page = client.get(reverse("baseline:kelurahan", args=[K, 2024])).content.decode()
    assert "Menunggu pengajuan oleh fasilitator" in page  # shown as a draft
    assert not Submission.objects.exists()  # but no workflow row is written by a GET
    rt_data(people, tree, round2024)  # the first change creates it
    assert Submission.objects.get().status == "draft"
