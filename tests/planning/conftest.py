# The web fixtures (region tree, data round, users of every role) serve the plan tests too.
from decimal import Decimal

import pytest

from nolkumuh.baseline.services import rt_record_save
from nolkumuh.planning.models import PlanLine
from nolkumuh.regions.services import rt_get_or_create
from tests.web import conftest as web
from tests.web.conftest import rt_values

_fresh_cache, round2024, tree, users = web._fresh_cache, web.round2024, web.tree, web.users

# One good plan line at RT 001/001 of Bandarharjo, as a row of the plan-line import sheet.
LINE_ROW = {
    "tahun": 2025,
    "kode_kelurahan": "33.74.02.1001",
    "rw": "001",
    "rt": "001",
    "kegiatan": "apar",
    "volume": 3,
    "harga_satuan": "",
    "sumber_dana": "csr",
    "pelaksana": "PT Baik",
    "status": "agreed",
}


@pytest.fixture
def rts(users, round2024, tree):
    made = []
    for n in ("001", "002"):
        rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt=n)[0]
        rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
        made.append(rt)
    return made


@pytest.fixture
def plan(users, tree, round2024):
    return web.memorandum(users, tree, round2024)


def line(rt, activity, volume, year, source="apbd_kabkota"):
    return PlanLine(
        rt=rt, activity=activity, volume=Decimal(volume), unit_cost=None, source=source, year=year
    )
