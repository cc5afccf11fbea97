"""LTI 1.3 against a platform we did not write (lti1p3platform): launch, security, deep linking."""

from __future__ import annotations

import base64
import json
import re

from django.urls import reverse

from tests.platform import lti_platform
from tests.platform.lti_platform import INSTRUCTOR, LEARNER, begin, launch, refusal

lms = lti_platform.lms  # fixtures shared by the LTI tests
registered = lti_platform.registered


EXERCISE = {"tensordojo_exercise": "sandbox-probe"}


def test_a_learner_launch_logs_in_an_account_linked_to_the_lti_identity(client, lms, registered):
    from lti.models import LtiAccount

    response, _ = launch(client, lms, custom=EXERCISE)

    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:exercise_detail", args=["sandbox-probe"])
    account = LtiAccount.objects.select_related("lti_user", "user").get()
    assert account.lti_user.sub == "lms-ada"
    assert client.session["_auth_user_id"] == str(account.user.id)
    assert not account.user.has_usable_password()


def test_a_second_launch_of_the_same_person_uses_the_same_account(client, lms, registered):
    from lti.models import LtiAccount

    launch(client, lms, custom=EXERCISE)
    client.logout()
    launch(client, lms, custom=EXERCISE)

    assert LtiAccount.objects.count() == 1


def test_a_token_with_a_bad_signature_is_refused(client, lms, registered):
    def tamper(form):
        header, payload, signature = form["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = "someone-else"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
        return dict(form, id_token=f"{header}.{forged}.{signature}")

    response, _ = launch(client, lms, custom=EXERCISE, form_change=tamper)

    assert response.status_code == 403
    assert "signature does not match" in refusal(response)
    assert "_auth_user_id" not in client.session


def test_a_token_for_another_audience_is_refused(client, lms, registered):
    response, _ = launch(client, lms, custom=EXERCISE, client_id="some-other-tool")

    assert response.status_code == 403
    assert "client id (audience)" in refusal(response)


def test_a_replayed_launch_is_refused(client, lms, registered):
    first, form = launch(client, lms, custom=EXERCISE)
    assert first.status_code == 302

    again = client.post(reverse("lti:launch"), form)

    assert again.status_code == 403
    assert "already used (a replayed nonce)" in refusal(again)


def test_an_expired_token_is_refused(client, lms, registered):
    response, _ = launch(client, lms, custom=EXERCISE, expires_in=-60)

    assert response.status_code == 403
    assert "expired" in refusal(response)


def test_a_launch_without_the_login_step_is_refused(client, lms, registered):
    params = begin(client, lms, "lms-ada")
    form = lms.launch_form(params, user_id="lms-ada", roles=[LEARNER], custom=EXERCISE)
    client.cookies.clear()  # another browser: it never went through our login initiation

    response = client.post(reverse("lti:launch"), form)

    assert response.status_code == 403
    assert "did not start with a login from this browser" in refusal(response)


def test_a_deployment_not_activated_is_refused(client, lms, registered):
    registered.deployments.update(is_active=False)

    response, _ = launch(client, lms, custom=EXERCISE)

    assert response.status_code == 403
    assert "not activated" in refusal(response)


def test_a_login_from_an_unregistered_platform_is_refused_clearly(client, lms, db):
    response = client.get(lms.login_url("lms-ada"))
    if response.status_code == 200 and b"lti-error" not in response.content:
        response = client.get(lms.login_url("lms-ada") + "&lti1p3_new_window=1")

    assert response.status_code == 400
    assert "refused" in refusal(response)


def test_a_link_that_names_no_content_says_what_to_do(client, lms, registered):
    response, _ = launch(client, lms)

    assert response.status_code == 403
    assert "deep linking" in refusal(response)


def test_a_track_link_opens_the_track(client, lms, registered, catalogue):
    track = catalogue["sandbox-probe"].track
    response, _ = launch(client, lms, custom={"tensordojo_track": track.slug})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#track-{track.slug}")
    assert f'id="track-{track.slug}"' in client.get(response["Location"]).content.decode()


def deep_link_return(client, lms, content: str):
    response, _ = launch(
        client, lms, user_id="lms-teacher", roles=(INSTRUCTOR,), deep_link_return_url=lms.url + "/deep-link-return"
    )
    picker = response.content.decode()
    assert response.status_code == 200 and 'data-testid="lti-picker"' in picker
    launch_id = re.search(r'name="launch_id" value="([^"]+)"', picker).group(1)
    client.cookies.clear()  # inside the LMS's iframe our cookies are not sent: the form alone must do
    chosen = client.post(reverse("lti:deep_link"), {"content": content, "launch_id": launch_id})
    assert chosen.status_code == 200, chosen.content[:500]
    page = chosen.content.decode()
    assert f'action="{lms.url}/deep-link-return"' in page
    return re.search(r'name="JWT" value="([^"]+)"', page).group(1)


def test_deep_linking_places_an_exercise_with_a_grade_column(client, lms, registered, catalogue):
    jwt = deep_link_return(client, lms, "exercise:sandbox-probe")

    [item] = lms.deep_link_items(jwt)

    assert item["type"] == "ltiResourceLink"
    assert item["url"] == "http://testserver" + reverse("lti:launch")
    assert item["custom"] == {"tensordojo_exercise": "sandbox-probe"}
    assert item["lineItem"]["scoreMaximum"] == catalogue["sandbox-probe"].points


def test_deep_linking_places_a_whole_track(client, lms, registered, catalogue):
    track = catalogue["sandbox-probe"].track
    jwt = deep_link_return(client, lms, f"track:{track.slug}")

    [item] = lms.deep_link_items(jwt)

    assert item["custom"] == {"tensordojo_track": track.slug}
    assert item["lineItem"]["scoreMaximum"] == sum(e.points for e in track.exercises.filter(is_active=True))


def test_a_learner_cannot_open_the_content_picker(client, lms, registered):
    response, _ = launch(client, lms, roles=(LEARNER,), deep_link_return_url=lms.url + "/deep-link-return")

    assert response.status_code == 403
    assert "Only the course's instructors" in refusal(response)


def test_the_jwks_endpoint_publishes_the_public_key_only(client, registered):
    keys = client.get(reverse("lti:jwks")).json()["keys"]

    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"
    assert "d" not in keys[0] and "p" not in keys[0]


def test_a_content_choice_without_a_valid_launch_is_refused(client, lms, registered):
    response = client.post(
        reverse("lti:deep_link"), {"content": "exercise:sandbox-probe", "launch_id": "lti1p3-launch-x"}
    )

    assert response.status_code == 403
    assert "expired" in refusal(response)


def test_a_launch_post_without_a_token_is_refused_clearly(client, registered):
    response = client.post(reverse("lti:launch"), {"state": "state-x", "id_token": "not-a-jwt"})

    assert response.status_code == 403
    assert refusal(response).startswith("The launch was refused")


def test_a_platform_whose_key_set_cannot_be_fetched_is_refused_clearly(client, lms, registered):
    registered.keyset_url = "http://127.0.0.1:9/jwks"  # nothing listens there
    registered.save()

    response, _ = launch(client, lms, custom=EXERCISE)

    assert response.status_code == 403
    assert "key set" in refusal(response)


def test_a_deployment_that_was_never_registered_is_refused(client, lms, registered):
    lms.deployment_id = "deployment-nobody-registered"

    response, _ = launch(client, lms, custom=EXERCISE)

    assert response.status_code == 403
    assert "not activated" in refusal(response)
