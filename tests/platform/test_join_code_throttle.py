"""Wrong cohort join codes are throttled like wrong passwords: per account, and per client address."""

import pytest
from django.urls import reverse

from cohorts.models import Membership


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.JOIN_CODE_BACKOFF = "5/60/900"
    settings.JOIN_CODE_FAILURES_PER_IP = "12/300"


def join(client, code, ip="10.0.0.1"):
    return client.post(reverse("cohorts:join"), {"code": code}, REMOTE_ADDR=ip, follow=True)


def test_thirty_wrong_guesses_then_the_right_code_is_refused_for_a_while(client, learner, cohort):
    client.force_login(learner)
    for number in range(30):
        join(client, f"WRONG{number:03d}")

    response = join(client, cohort.join_code)

    assert "Too many wrong join codes" in response.content.decode()
    assert not Membership.objects.filter(user=learner, cohort=cohort).exists()


def test_a_few_typos_cost_nothing(client, learner, cohort):
    client.force_login(learner)
    for number in range(4):
        assert "No cohort has that join code" in join(client, f"TYPO{number}").content.decode()
    join(client, cohort.join_code)
    assert Membership.objects.filter(user=learner, cohort=cohort).exists()


def test_fresh_accounts_on_one_address_meet_the_address_ceiling(client, make_user, cohort):
    for number in range(4):  # each account stays within its own free guesses
        client.force_login(make_user(f"guesser{number}"))
        for guess in range(3):
            join(client, f"G{number}X{guess}", ip="10.8.8.8")
    newcomer = make_user("newcomer")
    client.force_login(newcomer)

    assert "Too many wrong join codes" in join(client, cohort.join_code, ip="10.8.8.8").content.decode()
    assert "You joined" in join(client, cohort.join_code, ip="10.8.8.9").content.decode()  # another address
