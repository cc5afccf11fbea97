"""Password guessing is slowed down, the same on every way in; a guesser cannot lock the owner out.

Failures per (account, client address) buy growing waits; failures per client address have a
ceiling; a throttled attempt is refused before its password is hashed.
"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

PASSWORD = "a-long-password-1"  # the make_user factory's


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.LOGIN_BACKOFF = "3/10/900"  # three free failures, then 10 s, 20 s, 40 s ... at most 900 s
    settings.LOGIN_FAILURES_PER_IP = "5/300"


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, moved by hand."""
    now = {"t": 1_000_000.0}
    monkeypatch.setattr("ops.rate_limits._now", lambda: now["t"])
    return now


def login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def token(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("api:token"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        content_type="application/json",
    )


def admin_login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def test_the_login_page_refuses_with_429_and_retry_after_once_an_account_failed_too_often_from_a_client(
    client, learner
):
    for _ in range(3):
        assert login(client, "ada", "wrong").status_code == 200

    refused = login(client, "ada", PASSWORD)

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 10
    assert "Too many failed log-ins" in refused.content.decode()
    assert "_auth_user_id" not in client.session  # even the right password waits


def test_guesses_from_elsewhere_do_not_lock_the_owner_out(client, learner):
    for _ in range(5):
        login(client, "ada", "wrong", ip="203.0.113.66")  # someone else's machine
    assert login(client, "ada", "wrong", ip="203.0.113.66").status_code == 429  # the guesser waits

    assert login(client, "ada", PASSWORD, ip="10.0.0.2").status_code == 302  # the owner gets in
    assert token(client, "ada", PASSWORD, ip="10.0.0.2").status_code == 200


def test_the_waits_grow_with_each_failure_and_end(client, learner, clock, settings):
    settings.LOGIN_FAILURES_PER_IP = "100/300"  # only the account's own waits here
    for _ in range(3):
        login(client, "ada", "wrong")
    waits = []
    for _ in range(3):
        waits.append(int(login(client, "ada", "wrong")["Retry-After"]))
        clock["t"] += waits[-1]
        login(client, "ada", "wrong")  # the next failure, once allowed
    assert waits == [10, 20, 40]
    clock["t"] += 80
    assert login(client, "ada", PASSWORD).status_code == 302


def test_the_account_count_ignores_case_and_spacing(client, learner):
    for name in ("ada", "ADA", "Ada "):
        login(client, name, "wrong")
    assert login(client, "ada", PASSWORD).status_code == 429


def test_one_address_guessing_many_usernames_is_refused(client, make_user):
    for number in range(5):
        login(client, f"someone{number}", "wrong", ip="10.9.9.9")
    assert login(client, "someone-else", "wrong", ip="10.9.9.9").status_code == 429
    assert login(client, "someone-else", "wrong", ip="10.9.9.8").status_code == 200


def test_a_successful_login_clears_the_accounts_failures(client, learner):
    login(client, "ada", "wrong")
    login(client, "ada", "wrong")
    assert login(client, "ada", PASSWORD).status_code == 302
    client.logout()
    login(client, "ada", "wrong")
    login(client, "ada", "wrong")
    assert login(client, "ada", PASSWORD).status_code == 302


def test_the_page_the_api_and_the_admin_share_one_count(client, learner):
    assert token(client, "ada", "wrong").status_code == 400
    admin_login(client, "ada", "wrong")
    login(client, "ada", "wrong")

    refused = token(client, "ada", PASSWORD)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many failed log-ins" in refused.json()["detail"]


def test_twenty_five_wrong_admin_passwords_then_the_right_one_does_not_get_in(client, make_user, settings):
    settings.LOGIN_BACKOFF, settings.LOGIN_FAILURES_PER_IP = "3/2/900", "20/300"  # the shipped defaults
    staff = make_user("operator")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    for _ in range(25):
        admin_login(client, "operator", "wrong")

    admin_login(client, "operator", PASSWORD)

    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the log-in page


@pytest.mark.parametrize("way_in", [login, token, admin_login])
def test_a_refused_guess_costs_no_password_hashing(client, make_user, monkeypatch, way_in):
    """Anonymous guessing cannot make every page slow: past the ceiling nothing is hashed."""
    hashed = []
    for name in ("verify", "encode"):  # verify: a known user; encode: the dummy hash for an unknown one
        original = getattr(MD5PasswordHasher, name)
        monkeypatch.setattr(
            MD5PasswordHasher, name, lambda self, *a, _o=original, **k: hashed.append(1) or _o(self, *a, **k)
        )
    make_user("victim")
    for number in range(5):
        way_in(client, f"someone{number}", "wrong", ip="10.7.7.7")
    hashed.clear()

    for number in range(20):
        way_in(client, "victim" if number % 2 else f"other{number}", "wrong", ip="10.7.7.7")

    assert hashed == []


def test_the_token_endpoint_still_issues_tokens(client, learner):
    response = token(client, "ada", PASSWORD)
    assert response.status_code == 200 and response.json()["token"]


def test_a_non_text_username_is_a_clear_error_not_a_crash(client, learner):
    response = client.post(
        reverse("api:token"), {"username": ["ada"], "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 400


def test_a_forged_forwarded_for_header_does_not_buy_fresh_guesses(client, make_user):
    for number in range(5):
        client.post(
            reverse("login"),
            {"username": f"someone{number}", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
    assert login(client, "someone-else", "wrong", ip="10.9.9.9").status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(client, make_user, settings):
    settings.TRUSTED_PROXY_HOPS = 1

    def attempt(client_address, forged=""):
        chain = f"{forged}, {client_address}" if forged else client_address
        return client.post(
            reverse("login"),
            {"username": f"user-{client_address}-{forged}", "password": "wrong"},
            REMOTE_ADDR="172.17.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=chain,
        )

    for number in range(5):
        attempt("198.51.100.7", forged=f"192.0.2.{number}")  # the client's own prefix is ignored
    assert attempt("198.51.100.7").status_code == 429
    assert attempt("198.51.100.8").status_code == 200


def sign_up(client, n: int, ip: str):
    return client.post(
        reverse("accounts:signup"),
        {
            "username": f"farm{n}",
            "email": f"farm{n}@example.com",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
        REMOTE_ADDR=ip,
    )


def test_one_address_cannot_make_accounts_without_end(client, settings, db):
    """Each account has its own submission limit: new accounts would multiply it (and the sandboxes used)."""
    from django.contrib.auth import get_user_model

    settings.SIGNUP_RATE_LIMIT = "2/3600"
    assert [sign_up(client, n, "10.0.0.7").status_code for n in range(3)] == [302, 302, 429]
    assert sign_up(client, 3, "10.0.0.8").status_code == 302  # another address has its own budget
    assert get_user_model().objects.filter(username__startswith="farm").count() == 3


def test_password_reset_mails_are_limited_per_address(client, learner, settings, mailoutbox):
    settings.PASSWORD_RESET_RATE_LIMIT = "1/3600"
    url = reverse("accounts:password_reset")
    first = client.post(url, {"email": learner.email}, REMOTE_ADDR="10.0.0.9")
    second = client.post(url, {"email": learner.email}, REMOTE_ADDR="10.0.0.9")
    assert first.status_code == 302 and second.status_code == 429 and len(mailoutbox) == 1
    assert "Too many reset requests" in second.content.decode()


@pytest.mark.parametrize("way_in", [login, token])
def test_while_one_password_check_from_an_address_runs_another_is_refused_unhashed(client, learner, way_in):
    """Eight guessing threads from one address cannot take eight worker threads for a second each."""
    from accounts.throttling import login_alone

    with login_alone("10.0.0.1") as first:  # a check in progress for this address
        assert first
        refused = way_in(client, "ada", PASSWORD, ip="10.0.0.1")
        elsewhere = way_in(client, "ada", PASSWORD, ip="10.0.0.2")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert elsewhere.status_code in (200, 302)  # another address is not held up
    assert way_in(client, "ada", PASSWORD, ip="10.0.0.1").status_code in (200, 302)  # and once it is done, it may


def test_a_right_password_gives_its_attempt_back_to_the_address(client, make_user):
    for number in range(5):
        make_user(f"member{number}")
    for number in range(5):  # five good log-ins from one address (a classroom behind one NAT)
        assert login(client, f"member{number}", PASSWORD, ip="10.5.5.5").status_code == 302
        client.logout()
    assert login(client, "member0", "wrong", ip="10.5.5.5").status_code == 200  # still within the ceiling
