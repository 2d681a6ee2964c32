"""Every environment variable the settings read is listed in .env.example."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_lists_every_setting():
    code = "\n".join(p.read_text("utf-8") for p in (ROOT / "src" / "nolkumuh").rglob("*.py"))
    used = set(re.findall(r"environ(?:\.get)?\(\s*\"([A-Z_]+)\"", code)) | set(
        re.findall(r"env_flag\(\"([A-Z_]+)\"", code)
    )
    used |= set(re.findall(r"environ\[\"([A-Z_]+)\"\]", code))
    used -= {"DJANGO_SETTINGS_MODULE"}
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text("utf-8"), re.M))
    assert used <= listed, f"missing from .env.example: {sorted(used - listed)}"
