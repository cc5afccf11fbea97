"""Password guessing is slowed down: failures per username and per address, on the page and the API."""

import pytest
from django.urls import reverse

PASSWORD = "a-long-password-1"  # the make_user factory's


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.LOGIN_FAILURES_PER_USERNAME = "3/300"
    settings.LOGIN_FAILURES_PER_IP = "5/300"


def login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def token(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("api:token"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        content_type="application/json",
    )


def test_the_login_page_refuses_with_429_and_retry_after_once_a_username_failed_too_often(client, learner):
    for _ in range(3):
        assert login(client, "ada", "wrong").status_code == 200

    refused = login(client, "ada", PASSWORD)

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 301
    assert "Too many failed log-ins" in refused.content.decode()
    assert "_auth_user_id" not in client.session  # even the right password waits


def test_the_username_count_ignores_case_and_other_addresses_do_not_reset_it(client, learner):
    for number, name in enumerate(("ada", "ADA", "Ada ")):
        login(client, name, "wrong", ip=f"10.0.1.{number}")
    assert login(client, "ada", PASSWORD, ip="10.0.2.1").status_code == 429


def test_one_address_guessing_many_usernames_is_refused(client, make_user):
    for number in range(5):
        login(client, f"someone{number}", "wrong", ip="10.9.9.9")
    assert login(client, "someone-else", "wrong", ip="10.9.9.9").status_code == 429
    assert login(client, "someone-else", "wrong", ip="10.9.9.8").status_code == 200


def test_a_successful_login_clears_the_usernames_failures(client, learner):
    login(client, "ada", "wrong")
    login(client, "ada", "wrong")
    assert login(client, "ada", PASSWORD).status_code == 302
    client.logout()
    login(client, "ada", "wrong")
    login(client, "ada", "wrong")
    assert login(client, "ada", PASSWORD).status_code == 302


def test_the_token_endpoint_shares_the_count_and_answers_429_with_retry_after(client, learner):
    for _ in range(2):
        assert token(client, "ada", "wrong").status_code == 400
    login(client, "ada", "wrong")  # the page and the API count together

    refused = token(client, "ada", PASSWORD)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many failed log-ins" in refused.json()["detail"]


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
