import csv
from pathlib import Path

import pytest
import xlsxwriter

from nolkumuh.exchange.synthetic import Place, generate_rows
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
    book = xlsxwriter.Workbook(str(path))
    if first:
        book.add_worksheet(first).write(0, 0, "Petunjuk pengisian")
    ws = book.add_worksheet(sheet)
    names = list(rows[0])
    for j, name in enumerate(names):
        ws.write_string(0, j, name)
    for i, row in enumerate(rows, start=1):
        for j, name in enumerate(names):
            value = row[name]
            if isinstance(value, str):
                ws.write_string(i, j, value)
            else:
                ws.write(i, j, value)
    book.close()
    return path


@pytest.fixture
def rows():
    return sample_rows()
