"""Login throttling (accounts.throttle; policy in docs/security.md "Pembatasan login"): each rule
pauses the guesser, never the rightful user in the browser they signed in with before."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from nolkumuh.accounts.throttle import DEVICE_COOKIE
from tests.web.conftest import PASSWORD

HOME = "10.0.0.7"  # the rightful user's usual address


def attempt(client, username, password, address):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def known_browser(username, address=HOME):
    """A browser where the account signed in successfully before (then signed out)."""
    browser = Client()
    assert signed_in(attempt(browser, username, PASSWORD, address))
    assert DEVICE_COOKIE in browser.cookies
    browser.post(reverse("accounts:logout"))
    return browser


def test_five_wrong_passwords_from_one_address_pause_that_address_for_15_minutes(users):
    guesser = Client()
    for _ in range(5):
        assert not signed_in(attempt(guesser, "fasil", "salah", "10.9.9.9"))
    refused = attempt(guesser, "fasil", PASSWORD, "10.9.9.9")
    assert not signed_in(refused)
    assert "Coba lagi dalam 15 menit" in refused.content.decode()
    # another address is another client: not paused
    assert signed_in(attempt(Client(), "fasil", PASSWORD, "10.8.8.8"))


def test_four_wrong_passwords_do_not_pause(users):
    browser = Client()
    for _ in range(4):
        attempt(browser, "fasil", "salah", HOME)
    assert signed_in(attempt(browser, "fasil", PASSWORD, HOME))


def test_the_pause_ends_after_the_lock_time(users, monkeypatch):
    guesser = Client()
    for _ in range(5):
        attempt(guesser, "fasil", "salah", "10.9.9.9")
    later = time.time() + 901
    monkeypatch.setattr(time, "time", lambda: later)
    assert signed_in(attempt(guesser, "fasil", PASSWORD, "10.9.9.9"))


def test_someone_guessing_on_the_same_network_does_not_pause_the_users_own_browser(users):
    mine = known_browser("fasil")
    for _ in range(6):
        attempt(Client(), "fasil", "salah", HOME)
    assert "Coba lagi" in attempt(Client(), "fasil", PASSWORD, HOME).content.decode()
    assert signed_in(attempt(mine, "fasil", PASSWORD, HOME))


def test_the_rightful_user_signs_in_from_their_browser_while_an_attacker_elsewhere_is_locked_out(users):
    """Per account: after 20 failures from anywhere only known browsers may try (admin included)."""
    admin = get_user_model().objects.create_superuser("admin", password=PASSWORD)
    mine = known_browser(admin.username)
    for n in range(20):  # from 20 addresses: no single address reaches its own limit
        attempt(Client(), "admin", "salah", f"10.5.0.{n}")
    attacker = attempt(Client(), "admin", PASSWORD, "10.6.6.6")
    assert not signed_in(attacker)
    assert "Akun ini sedang dilindungi" in attacker.content.decode()
    assert "Coba lagi dalam 60 menit" in attacker.content.decode().replace("coba lagi", "Coba lagi")
    assert signed_in(attempt(mine, "admin", PASSWORD, HOME))
    # other accounts are not affected
    assert signed_in(attempt(Client(), "fasil", PASSWORD, "10.6.6.6"))


def test_nineteen_failures_of_an_account_from_everywhere_do_not_protect_it_yet(users):
    for n in range(19):
        attempt(Client(), "fasil", "salah", f"10.5.0.{n}")
    assert signed_in(attempt(Client(), "fasil", PASSWORD, "10.6.6.6"))


def test_one_address_trying_many_accounts_is_paused_for_all_of_them(users):
    for n in range(30):
        attempt(Client(), f"nama{n}", "salah", "10.4.4.4")
    refused = attempt(Client(), "korkot", PASSWORD, "10.4.4.4")
    assert not signed_in(refused)
    assert "dari jaringan ini" in refused.content.decode()
    assert signed_in(attempt(Client(), "korkot", PASSWORD, "10.3.3.3"))


def test_a_known_browser_may_still_try_from_an_address_that_is_paused(users):
    mine = known_browser("korkot", address="10.4.4.4")
    for n in range(30):
        attempt(Client(), f"nama{n}", "salah", "10.4.4.4")
    assert signed_in(attempt(mine, "korkot", PASSWORD, "10.4.4.4"))


def test_a_known_browser_is_paused_too_after_five_wrong_passwords(users):
    mine = known_browser("fasil")
    for _ in range(5):
        attempt(mine, "fasil", "salah", HOME)
    assert "Coba lagi dalam 15 menit" in attempt(mine, "fasil", PASSWORD, HOME).content.decode()


@pytest.mark.parametrize("cookie", ["", "palsu", "eyJkIjoiYSJ9:1:abc"])
def test_a_forged_known_device_cookie_counts_for_nothing(users, cookie):
    for n in range(20):
        attempt(Client(), "fasil", "salah", f"10.5.0.{n}")
    forger = Client()
    forger.cookies[DEVICE_COOKIE] = cookie
    assert "Akun ini sedang dilindungi" in attempt(forger, "fasil", PASSWORD, HOME).content.decode()


def test_a_known_device_of_one_account_is_not_known_for_another(users):
    mine = known_browser("fasil")
    for n in range(20):
        attempt(Client(), "korkot", "salah", f"10.5.0.{n}")
    assert "Akun ini sedang dilindungi" in attempt(mine, "korkot", PASSWORD, HOME).content.decode()


def test_a_paused_attempt_does_not_check_the_password(users):
    """The same answer for the right and a wrong password while paused: nothing to learn."""
    guesser = Client()
    for _ in range(5):
        attempt(guesser, "fasil", "salah", "10.9.9.9")
    right = attempt(guesser, "fasil", PASSWORD, "10.9.9.9").content.decode()
    wrong = attempt(guesser, "fasil", "salah lagi", "10.9.9.9").content.decode()
    assert "Nama pengguna atau kata sandi salah" not in right + wrong
    assert "Coba lagi dalam 15 menit" in right and "Coba lagi dalam 15 menit" in wrong


@pytest.mark.parametrize("variant", ["ｆａｓｉｌ", "𝐟asil", "ᶠasil"])
def test_a_user_name_written_in_other_unicode_forms_counts_for_the_same_account(users, variant):
    # The sign-in form reads names in NFKC form ("ｆａｓｉｌ" signs in as "fasil"), so the counts must too.
    guesser = Client()
    for _ in range(5):
        attempt(guesser, "fasil", "salah", "10.9.9.9")
    refused = attempt(guesser, variant, PASSWORD, "10.9.9.9")
    assert not signed_in(refused)
    assert "Coba lagi dalam 15 menit" in refused.content.decode()


def test_a_full_data_cache_does_not_sweep_the_pause_away(users):
    # anonymous page views fill the data cache (a profile per year range); when it is full it drops
    # entries at random, which must never be the login counts
    guesser = Client()
    for _ in range(5):
        attempt(guesser, "fasil", "salah", "10.9.9.9")
    full = caches["default"]._max_entries * 10  # about thirty sweeps of a third each
    for n in range(full):
        caches["default"].set(f"data:{n}", n)
    refused = attempt(guesser, "fasil", PASSWORD, "10.9.9.9")
    assert not signed_in(refused)
    assert "Coba lagi dalam 15 menit" in refused.content.decode()
