"""The page where an instructor or operator registers an LMS and reads the URLs to give it."""

from __future__ import annotations

from django.urls import reverse

FORM = {
    "name": "University Moodle",
    "issuer": "https://moodle.example.edu",
    "client_id": "abc123",
    "deployment_ids": "1, 2\n2",
    "auth_url": "https://moodle.example.edu/mod/lti/auth.php",
    "token_url": "https://moodle.example.edu/mod/lti/token.php",
    "keyset_url": "https://moodle.example.edu/mod/lti/certs.php",
    "audience": "",
}


def test_an_operator_registers_a_platform_live_with_its_deployments_active(client, instructor):
    from lti_tool.models import LtiRegistration

    instructor.is_staff = True
    instructor.save()
    client.force_login(instructor)
    response = client.post(reverse("lti:platforms"), FORM)

    assert response.status_code == 302
    registration = LtiRegistration.objects.get()
    assert (registration.issuer, registration.client_id, registration.is_active) == (
        "https://moodle.example.edu",
        "abc123",
        True,
    )
    assert sorted(registration.deployments.values_list("deployment_id", "is_active")) == [("1", True), ("2", True)]


def test_an_instructors_registration_waits_for_an_operator_and_others_are_not_listed(client, instructor):
    """Live, it would send browsers to its own auth URL and sign launches that log people in."""
    from lti_tool.models import LtiRegistration

    LtiRegistration.objects.create(name="Another school", issuer="https://other.example", client_id="x")
    client.force_login(instructor)
    page = client.post(reverse("lti:platforms"), FORM, follow=True).content.decode()

    registration = LtiRegistration.objects.get(client_id="abc123")
    assert registration.is_active is False and "waits for an operator" in page
    assert LtiRegistration.objects.active().filter(client_id="abc123").count() == 0  # what launches look up
    assert "other.example" not in page


def test_the_page_lists_the_urls_to_give_the_lms(client, instructor):
    client.force_login(instructor)
    page = client.get(reverse("lti:platforms")).content.decode()

    for name in ("login", "launch", "jwks"):
        assert "http://testserver" + reverse(f"lti:{name}") in page


def test_the_same_issuer_and_client_id_cannot_be_registered_twice(client, instructor):
    client.force_login(instructor)
    client.post(reverse("lti:platforms"), FORM)

    response = client.post(reverse("lti:platforms"), FORM)

    assert response.status_code == 200
    assert "already registered" in response.content.decode()


def test_plain_http_urls_are_refused_outside_development(client, instructor, settings):
    from lti_tool.models import LtiRegistration

    settings.DEVELOPMENT = False
    client.force_login(instructor)

    response = client.post(reverse("lti:platforms"), dict(FORM, token_url="http://moodle.example.edu/token.php"))

    assert response.status_code == 200 and "Use an https:// URL." in response.content.decode()
    assert not LtiRegistration.objects.exists()


def test_a_learner_cannot_register_a_platform(client, learner):
    client.force_login(learner)
    assert client.get(reverse("lti:platforms")).status_code == 403
    assert client.post(reverse("lti:platforms"), FORM).status_code == 403


def test_an_issuer_without_a_scheme_is_refused(client, instructor, settings):
    """Issue 23 item 12: the issuer (iss) is an https URL; 'moodle.example.edu' would never match a launch."""
    from lti_tool.models import LtiRegistration

    settings.DEVELOPMENT = False
    client.force_login(instructor)
    for issuer in ("moodle.example.edu", "http://moodle.example.edu", "https://moodle.example.edu/?x=1", "https://"):
        response = client.post(reverse("lti:platforms"), dict(FORM, issuer=issuer))
        assert response.status_code == 200 and "issuer" in response.content.decode().lower(), issuer
        assert 'class="errorlist' in response.content.decode(), issuer
    assert not LtiRegistration.objects.exists()


def test_an_instructor_sees_their_pending_registration_as_pending(client, instructor):
    """Issue 23 item 12: after registering, not 'None yet' and no link to an admin page they cannot open."""
    client.force_login(instructor)
    page = client.post(reverse("lti:platforms"), FORM, follow=True).content.decode()
    listed = page[page.index("Registered platforms") :]
    assert "University Moodle" in listed and "pending" in listed.lower() and "None yet" not in listed
    assert "/admin/" not in page


def test_lti_is_linked_from_the_cohort_pages(client, instructor, cohort):
    client.force_login(instructor)
    for url in (reverse("cohorts:list"), reverse("cohorts:detail", args=[cohort.id])):
        assert f'href="{reverse("lti:platforms")}"' in client.get(url).content.decode(), url
