"""Kawasan: the decree's slum areas, their coverage, and the non-physical assessment with its marks."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline.models import Submission
from nolkumuh.baseline.services import rt_record_save
from nolkumuh.core.models import AuditEntry
from nolkumuh.regions.models import Kawasan
from nolkumuh.regions.services import kawasan_save, rt_get_or_create
from tests.helpers import set_status
from tests.web.conftest import PASSWORD, rt_values, save_kawasan


@pytest.fixture
def rts(users, round2024, tree):
    made = []
    for n in ("001", "002"):
        rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt=n)[0]
        rt_record_save(
            user=users["fasilitator"], round=round2024, rt=rt, values=rt_values(jumlah_penduduk="600")
        )
        made.append(rt)
    set_status(Submission.objects, "approved")
    return made


def test_korkot_creates_a_kawasan_with_its_rts_and_the_change_is_audited(users, tree, rts):
    kawasan = Kawasan(
        kabkota=tree["semarang"], name="Kawasan Tambak Lorok", sk_number="050/123/2024", sk_year=2024
    )
    save_kawasan(users["korkot"], kawasan, [tree["bandarharjo"]], rts[:1])
    assert list(kawasan.rts.all()) == rts[:1]
    entry = AuditEntry.objects.get(object_type="kawasan")
    assert entry.user == users["korkot"] and entry.after["name"] == "Kawasan Tambak Lorok"


def test_a_fasilitator_may_not_change_kawasan(users, tree, rts):
    with pytest.raises(PermissionDenied):
        kawasan_save(
            user=users["fasilitator"],
            scope=user_scope(users["fasilitator"]),
            kawasan=Kawasan(kabkota=tree["semarang"], name="X"),
            kelurahan=[],
            rts=[],
        )


def test_kawasan_page_shows_type_priority_and_pattern_once_assessed(client, users, tree, rts):
    kawasan = Kawasan(
        kabkota=tree["semarang"],
        name="Kawasan Bandarharjo Utara",
        strategis=True,
        potensi=False,
        status_lahan=True,
        sesuai_tata_ruang=False,
    )
    save_kawasan(users["korkot"], kawasan, [tree["bandarharjo"]], rts)
    page = client.get(reverse("regions:kawasan", args=[kawasan.pk])).content.decode()
    # 1,200 people on 5.32 ha = 225.56 jiwa/ha -> 4; strategic 5; no potential 1: sum 10 (sedang);
    # illegal land; class KR -> type C4, priority 6, pemukiman kembali
    assert "225,56" in page and "(sedang)" in page
    assert ">C4<" in page and ">6<" in page and "pemukiman kembali" in page


def _marked(page: str, label: str, mark: str) -> bool:
    """Whether the row ``label`` of the page carries the confidence mark ``mark``."""
    pattern = re.escape(label) + r'(?:</\w+>)?\s*<span class="muted mark">\(' + re.escape(mark) + r"\)</span>"
    return re.search(pattern, page) is not None


def test_kawasan_page_shows_the_source_mark_of_each_table_and_what_it_means(client, users, tree, rts):
    kawasan = Kawasan(
        kabkota=tree["semarang"],
        name="K",
        strategis=True,
        potensi=True,
        status_lahan=True,
        sesuai_tata_ruang=True,
    )
    save_kawasan(users["korkot"], kawasan, [tree["bandarharjo"]], rts)
    page = client.get(reverse("regions:kawasan", args=[kawasan.pk])).content.decode()
    assert _marked(page, "Urutan prioritas", "sekunder")
    assert _marked(page, "Pola penanganan", "regulasi")
    assert _marked(page, "Tipe", "RECALL") and _marked(page, "Legalitas lahan", "RECALL")
    assert _marked(page, "Nilai lokasi strategis", "RECALL")
    assert "Tanda sumber" in page
    assert "<strong>sekunder</strong> — tidak terlihat dalam teks regulasinya sendiri" in page
    assert "<strong>RECALL</strong> — belum terkonfirmasi dari sumber primer" in page
    assert "<strong>regulasi</strong> — terlihat dalam teks regulasi" in page


def test_kawasan_form_names_the_marks_of_the_tables_its_answers_feed(client, users, tree, rts):
    client.login(username="korkot", password=PASSWORD)
    page = client.get(reverse("regions:kawasan_new", args=["33.74"])).content.decode()
    assert "urutan prioritas (sekunder)" in page and "pola penanganan (regulasi)" in page
    assert "pertimbangan lain (RECALL)" in page
    assert "<strong>sekunder</strong> — tidak terlihat dalam teks regulasinya sendiri" in page


def test_kawasan_form_saves_through_the_page(client, users, tree, rts):
    client.login(username="korkot", password=PASSWORD)
    url = reverse("regions:kawasan_new", args=["33.74"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Kawasan Baru",
            "sk_number": "1/2024",
            "sk_year": "2024",
            "typology": "di tepi air",
            "kelurahan": [tree["bandarharjo"].pk],
            "rts": [rts[1].pk],
            "strategis": "true",
            "potensi": "",
            "status_lahan": "",
            "sesuai_tata_ruang": "",
        },
    )
    kawasan = Kawasan.objects.get(name="Kawasan Baru")
    assert response.status_code == 302 and kawasan.typology == "di tepi air" and kawasan.strategis is True
    assert kawasan.potensi is None and list(kawasan.rts.all()) == [rts[1]]
    client.logout()
    client.login(username="fasil", password=PASSWORD)
    assert client.get(url).status_code == 404


def test_rt_page_shows_the_change_history_to_staff_only(client, users, tree, rts, round2024):
    set_status(Submission.objects, "draft")
    values = rt_values(jumlah_penduduk="700", bangunan_tidak_teratur="5")
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rts[0], values=values)
    set_status(Submission.objects, "approved")
    url = reverse("regions:rt", args=[rts[0].pk])
    assert "Riwayat perubahan" not in client.get(url).content.decode()
    client.login(username="fasil", password=PASSWORD)
    page = client.get(url).content.decode()
    assert "Riwayat perubahan" in page and "Jumlah penduduk (jiwa) 600 → 700" in page
    assert "1a Ketidakteraturan bangunan (unit) " in page and "Total nilai " in page
    assert "jumlah_penduduk 600" not in page and "bangunan_tidak_teratur" not in page


def test_editing_a_kawasan_keeps_the_old_values_in_the_audit_trail(users, tree, rts):
    kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    kawasan.sk_number = "050/999/2024"
    save_kawasan(users["korkot"], kawasan, [tree["bandarharjo"]], rts)
    entry = AuditEntry.objects.filter(object_type="kawasan").latest("id")
    assert entry.before["sk_number"] == "050/1/2016" and entry.after["sk_number"] == "050/999/2024"
