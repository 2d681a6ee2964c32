"""Creating many users from one Excel (or CSV) list: how a province sets up its facilitators.

The sheet "pengguna" has the columns nama, username, peran, kode_wilayah (one or more codes,
comma separated), telepon, email. The file is read through the file guard in a child process
(exchange.read.read_sheet); the dry run lists every problem with its row and column; saving
creates every user in one transaction or none, each with a temporary password and an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from nolkumuh.accounts.models import Role
from nolkumuh.accounts.services import user_scope
from nolkumuh.accounts.users import UserData, data_problems, parse_codes, user_create, username_problem
from nolkumuh.exchange.parse import cell_text
from nolkumuh.exchange.read import normalize_name, read_sheet
from nolkumuh.exchange.write import template_sheet, workbook
from nolkumuh.scoring.issues import InvalidInput

COLUMNS = ("nama", "username", "peran", "kode_wilayah", "telepon", "email")
REQUIRED = ("nama", "username", "peran")
COLUMN_OF = {"name": "nama", "role": "peran", "codes": "kode_wilayah", "phone": "telepon", "email": "email"}
SHEET = "pengguna"
# Every new user's password is hashed while the confirmation waits (about 5 ms each, see
# accounts.users.TEMPORARY_ROUNDS): a thousand rows take about 15 s on SQLite.
MAX_ROWS = 1000


@dataclass
class CheckedUsers:
    """The dry run: the users that would be created (username, data) and every problem in words."""

    rows: list[tuple[str, UserData]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _where(row: int | None, column: str | None, text: str, value: str = "") -> str:
    parts = []
    if row is not None:
        parts.append(_("baris %(row)s") % {"row": row})
    if column is not None:
        parts.append(_("kolom %(column)s") % {"column": column})
    tail = f" ({value})" if value else ""
    return f"{', '.join(parts)}: {text}{tail}" if parts else text + tail


def _role(text: str) -> str:
    """The role code from its code or its label, any case ("" when unknown)."""
    wanted = text.strip().lower()
    for value, label in Role.choices:
        if wanted in (value, str(label).lower()):
            return value
    return ""


def users_check(*, user: AbstractBaseUser, path: Path, lang: str = "id") -> CheckedUsers:
    """Every row of the list checked as the user page would check it, plus usernames repeated in
    the file; nothing is written."""
    result = CheckedUsers()
    try:
        sheet = read_sheet(path, sheet=SHEET, rt_data=False)
    except InvalidInput as exc:
        result.problems = exc.lines(lang)
        return result
    position = {normalize_name(n): j for j, n in enumerate(sheet.names)}
    missing = [c for c in REQUIRED if c not in position]
    if missing:
        result.problems = [
            _("Kolom %(column)s tidak ada; pakai templat (kolom: %(columns)s).")
            % {"column": c, "columns": ", ".join(COLUMNS)}
            for c in missing
        ]
        return result
    if not sheet.rows:
        result.problems = [_("Tidak ada baris data di bawah judul kolom; isi satu baris per pengguna.")]
        return result
    if len(sheet.rows) > MAX_ROWS:
        result.problems = [
            _("Terlalu banyak baris: %(count)s, paling banyak %(limit)s per berkas; bagi daftarnya.")
            % {"count": len(sheet.rows), "limit": MAX_ROWS}
        ]
        return result
    scope = user_scope(user)
    taken = {u.lower() for u in get_user_model().objects.values_list("username", flat=True)}
    seen: dict[str, int] = {}
    for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
        cell = {c: cell_text(row[position[c]]).strip() if c in position else "" for c in COLUMNS}
        problems = [_where(number, c, _("wajib diisi")) for c in REQUIRED if not cell[c]]
        username = cell["username"]
        if username.lower() in seen:
            problems.append(
                _where(
                    number,
                    "username",
                    _("sudah ada di baris %(other)s; setiap pengguna sekali saja")
                    % {"other": seen[username.lower()]},
                    username,
                )
            )
        elif username:
            problem = username_problem(username, taken)
            if problem:
                problems.append(_where(number, "username", problem, username))
            seen[username.lower()] = number
        role = _role(cell["peran"])
        if cell["peran"] and not role:
            choices = ", ".join(Role.values)
            problems.append(
                _where(
                    number,
                    "peran",
                    _("peran tidak dikenal; pilihan: %(choices)s") % {"choices": choices},
                    cell["peran"],
                )
            )
        data = UserData(
            name=cell["nama"],
            role=role,
            codes=parse_codes(cell["kode_wilayah"]),
            phone=cell["telepon"],
            email=cell["email"],
        )
        said = {"name"} | ({"role"} if not role else set())  # already worded above
        for key, text in data_problems(scope=scope, data=data)[0]:
            if key not in said:
                problems.append(_where(number, COLUMN_OF[key], text))
        if problems:
            result.problems += problems
        else:
            result.rows.append((username, data))
    return result


@transaction.atomic
def users_apply(*, user: AbstractBaseUser, checked: CheckedUsers) -> list[tuple[str, str, str]]:
    """Create every checked user or none (the services check each one again); (username, name,
    temporary password) of each, for the once-only list."""
    if not checked.ok:
        raise ValueError("apply only a dry run without problems")
    created = []
    for username, data in checked.rows:
        _new, password = user_create(actor=user, username=username, data=data)
        created.append((username, data.name, password))
    return created


def users_template(path: Path) -> None:
    """The empty list with one example row and a sheet explaining the columns and roles."""
    book = workbook(path)
    sheet, bold = template_sheet(book, SHEET, COLUMNS, width=20)
    sheet.write_row(1, 0, ["Siti Aminah", "siti.aminah", "fasilitator", "33.74.02.1001", "0812...", ""])
    notes = book.add_worksheet("petunjuk")
    notes.write_row(0, 0, ["peran", "arti"], bold)
    for i, (code, label) in enumerate(Role.choices, start=1):
        notes.write_row(i, 0, [code, str(label)])
    below = len(Role.choices) + 2
    notes.write(below, 0, "kode_wilayah: kode Kemendagri (33, 33.74, 33.74.02.1001); beberapa dipisah koma")
    notes.write(below + 1, 0, "username: huruf, angka dan . @ + - _ tanpa spasi; belum dipakai")
    notes.write(below + 2, 0, f"paling banyak {MAX_ROWS} baris per berkas; telepon dan email boleh kosong")
    notes.set_column(0, 1, 40)
    book.close()


def passwords_workbook(path: Path, created: list[tuple[str, str, str]]) -> None:
    """The usernames and temporary passwords of an import, to hand out (downloaded once)."""
    book = workbook(path)
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("kata sandi sementara")
    sheet.write_row(0, 0, ["username", "nama", "kata_sandi_sementara"], bold)
    for i, row in enumerate(created, start=1):
        sheet.write_row(i, 0, list(row))
    sheet.set_column(0, 2, 28)
    book.close()
