"""The sentences that explain where the allocation put someone (the allocation gives codes)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from nolkumuh.training.models import Role

REASONS = {
    "together": _("bersama %(count)s peserta dari %(group)s di %(place)s"),
    "split": _(
        "rombongan %(group)s (%(count)s orang) dibagi karena tempat terbesar hanya muat"
        " %(largest)s: %(parts)s"
    ),
    "class_together": _("kelas %(place)s: bersama %(count)s peserta kelompok %(group)s"),
    "class_split": _("kelompok %(group)s (%(count)s orang) dibagi ke beberapa kelas: %(parts)s"),
    "mixed": _("%(place)s: peran dicampur rata, %(count)s %(role)s di kelas ini"),
    "pinned": _("dipindah manual ke %(place)s"),
}


def reason_text(code: str, params: dict) -> str:
    """One reason in the user's language; unknown codes are shown as they are."""
    template = REASONS.get(code)
    if template is None:
        return code
    values = dict(params)
    if "role" in values:
        values["role"] = dict(Role.choices).get(values["role"], values["role"])
    if code.startswith("class_") and values.get("group") in Role.values:
        values["group"] = dict(Role.choices)[values["group"]]
    return str(template) % values
