"""The secret key that signs sessions, CSRF tokens and known-device cookies: outside demo mode it
must be long, varied and not one of the example values anyone can read in the repository."""

from __future__ import annotations

# Used only in demo mode (NOLKUMUH_DEMO=1) when no key is set: public, so never valid otherwise.
DEMO_SECRET_KEY = "demo-only-not-secret-" + "x" * 40
# Values printed in .env.example, deploy/production.env.example and the documentation (a test
# checks that every example file's value is listed here).
PLACEHOLDERS = frozenset(
    {
        "change-me",
        "changeme",
        "secret",
        DEMO_SECRET_KEY,
        "ganti-dengan-kunci-acak-sepanjang-minimal-50-karakter-dari-perintah-di-atas",
    }
)
MIN_LENGTH = 50
MIN_DISTINCT = 5
GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(50))"'


def secret_key_problem(key: str) -> str | None:
    """Why this key may not be used outside demo mode (a message for the operator), or None."""
    how = f"Buat kunci acak dengan: {GENERATE}"
    if not key.strip():
        return f"NOLKUMUH_SECRET_KEY belum diisi (atau pakai NOLKUMUH_DEMO=1 untuk demo). {how}"
    if key.strip() in PLACEHOLDERS or key.startswith(DEMO_SECRET_KEY[:20]):
        return f"NOLKUMUH_SECRET_KEY masih berisi contoh dari dokumentasi; ganti dengan kunci sendiri. {how}"
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_DISTINCT:
        return (
            f"NOLKUMUH_SECRET_KEY terlalu pendek atau seragam ({len(key)} karakter; minimal {MIN_LENGTH} "
            f"karakter dengan sedikitnya {MIN_DISTINCT} karakter berbeda). {how}"
        )
    return None
