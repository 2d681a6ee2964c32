"""Protection of the login against password guessing, without locking the rightful user out.

The policy (docs/security.md, "Pembatasan login"):

1. Per account and client: after LOGIN_FAILURE_LIMIT wrong passwords for one account from one
   client, that client pauses LOGIN_LOCK_SECONDS for that account. The client is the browser when
   it is a *known device* of the account (a signed cookie set when the account signed in there
   successfully), otherwise the address; so someone guessing from the same office network does not
   pause the rightful user's own browser.
2. Per address over all accounts: after LOGIN_ADDRESS_LIMIT failures from one address, that address
   pauses LOGIN_LOCK_SECONDS for every account, except in browsers known to the account tried.
3. Per account from everywhere: after LOGIN_ACCOUNT_LIMIT failures within
   LOGIN_ACCOUNT_WINDOW_SECONDS, only known devices of the account may still try until the window
   ends. The rightful user signs in from their usual browser; an attacker elsewhere cannot.

Counts live in the shared cache (all worker processes see them). A refused attempt does not check
the password at all, so a paused client learns nothing.
"""

from __future__ import annotations

import math
import secrets
import time
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy

DEVICE_COOKIE = "nolkumuh_perangkat"
DEVICE_SALT = "nolkumuh.accounts.known-device"
# Accounts remembered per browser (a shared office computer): the oldest is forgotten first.
DEVICE_ACCOUNTS = 10
MESSAGES = {
    "client": gettext_lazy(
        "Terlalu banyak kata sandi salah untuk akun ini dari perangkat atau jaringan ini. "
        "Coba lagi dalam %(minutes)s menit."
    ),
    "address": gettext_lazy(
        "Terlalu banyak percobaan masuk yang gagal dari jaringan ini. Coba lagi dalam %(minutes)s menit, "
        "atau masuk dari peramban yang biasa Anda pakai."
    ),
    "account": gettext_lazy(
        "Akun ini sedang dilindungi karena banyak percobaan masuk yang gagal. Masuk dari peramban yang "
        "pernah Anda pakai untuk masuk ke akun ini, atau coba lagi dalam %(minutes)s menit. Jika ini "
        "terus terjadi, hubungi administrator."
    ),
}


@dataclass(frozen=True)
class Client:
    """Who is trying to sign in: the address, and the known-device cookie's content (if any)."""

    address: str
    device: str = ""
    accounts: tuple[str, ...] = field(default=())

    def knows(self, username: str) -> bool:
        """True when the account signed in successfully in this browser before."""
        return bool(self.device) and _account_mark(username) in self.accounts


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused without checking the password, and for how many seconds."""

    rule: str
    seconds: int

    def message(self) -> str:
        return str(MESSAGES[self.rule] % {"minutes": max(1, math.ceil(self.seconds / 60))})


def _account_mark(username: str) -> str:
    return salted_hmac(DEVICE_SALT, _name(username)).hexdigest()[:20]


def _name(username: str) -> str:
    # The sign-in form reads the name in NFKC form ("ｆａｓｉｌ" and "𝐟asil" sign in as "fasil"):
    # counted in any other form, each spelling would have counts of its own.
    return unicodedata.normalize("NFKC", username).strip().lower()


def _keys(username: str, client: Client) -> dict[str, str]:
    name = _name(username)
    who = f"device:{client.device}" if client.knows(username) else f"ip:{client.address}"
    return {
        "client": f"login:client:{name}:{who}",
        "address": f"login:address:{client.address}",
        "account": f"login:account:{name}",
    }


def _limits() -> dict[str, tuple[int, int]]:
    """Rule: (failures allowed, seconds the count is kept from the first failure)."""
    return {
        "client": (settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_LOCK_SECONDS),
        "address": (settings.LOGIN_ADDRESS_LIMIT, settings.LOGIN_LOCK_SECONDS),
        "account": (settings.LOGIN_ACCOUNT_LIMIT, settings.LOGIN_ACCOUNT_WINDOW_SECONDS),
    }


def login_refusal(*, username: str, client: Client) -> Refusal | None:
    """The rule that refuses this attempt now, or None when the password may be checked."""
    known = client.knows(username)
    now = time.time()
    for rule, key in _keys(username, client).items():
        if known and rule != "client":
            continue
        count = caches["counters"].get(key)
        if count and count["n"] >= _limits()[rule][0] and count["until"] > now:
            return Refusal(rule=rule, seconds=math.ceil(count["until"] - now))
    return None


def login_failed(*, username: str, client: Client) -> None:
    """Count a wrong password for every rule (a fixed window starting at the first failure)."""
    now = time.time()
    for rule, key in _keys(username, client).items():
        seconds = _limits()[rule][1]
        count = caches["counters"].get(key)
        if not count or count["until"] <= now:
            count = {"n": 0, "until": now + seconds}
        count["n"] += 1
        caches["counters"].set(key, count, max(1, math.ceil(count["until"] - now)))


def login_succeeded(*, username: str, client: Client) -> None:
    """A correct password: this client's own count starts again (the account's count stays, so an
    attacker elsewhere stays limited)."""
    caches["counters"].delete(_keys(username, client)["client"])


def client_of(request: HttpRequest, address: str) -> Client:
    """The client of a login request, with the known-device cookie when it is genuine and fresh."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        data = signing.loads(raw, salt=DEVICE_SALT, max_age=settings.LOGIN_KNOWN_DEVICE_DAYS * 86400)
        device, accounts = str(data["d"]), tuple(str(a) for a in data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Client(address=address)
    return Client(address=address, device=device, accounts=accounts)


def remember_device(response: HttpResponse, *, username: str, client: Client) -> None:
    """After a successful sign-in: mark this browser as a known device of the account."""
    mark = _account_mark(username)
    accounts = [*[a for a in client.accounts if a != mark][-(DEVICE_ACCOUNTS - 1) :], mark]
    value = signing.dumps({"d": client.device or secrets.token_urlsafe(16), "a": accounts}, salt=DEVICE_SALT)
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=settings.LOGIN_KNOWN_DEVICE_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
