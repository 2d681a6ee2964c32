import csv
from pathlib import Path

import pytest

from nolkumuh.exchange.synthetic import Place, generate_rows
from nolkumuh.exchange.write import write_rows_xlsx
from nolkumuh.scoring import load_ruleset

PLACES = [
    Place("33.74.02.1001", "Jawa Tengah", "Kota Semarang", "Semarang Utara", "Bandarharjo"),
    Place("33.74.02.1002", "Jawa Tengah", "Kota Semarang", "Semarang Utara", "Bulu Lor"),
    Place("33.72.01.1001", "Jawa Tengah", "Kota Surakarta", "Laweyan", "Pajang"),
]


def sample_rows(ruleset_id: str = "permen-pupr-14-2018", **kwargs) -> list[dict[str, object]]:
    kwargs.setdefault("years", [2019, 2020])
    return generate_rows(PLACES, ruleset=load_ruleset(ruleset_id), **kwargs)


def write_csv(path: Path, rows: list[dict[str, object]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, rows: list[dict[str, object]], sheet: str = "rt", first: str | None = None
) -> Path:
    return write_rows_xlsx(path, rows, sheet=sheet, first_sheet=first)


@pytest.fixture
def rows():
    return sample_rows()
