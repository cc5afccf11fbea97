"""Display names: never a look-alike of someone's default pseudonym, never another learner's name."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.services import profile_update


@pytest.mark.parametrize(
    "name", ["learner-7", "Learner-7", "LEARNER 7", "learner_7", " learner - 0012 ", "learner7", "ｌｅａｒｎｅｒ－７"]
)
def test_pseudonym_look_alikes_are_refused(learner, name):
    with pytest.raises(ValidationError, match="reserved"):
        profile_update(user=learner, display_name=name)


@pytest.mark.parametrize("name", ["learner", "learner-seven", "the learner 7", "Learner Ada"])
def test_names_that_merely_mention_learner_are_fine(learner, name):
    assert profile_update(user=learner, display_name=name).display_name == name.strip()


@pytest.mark.parametrize("name", ["Matrix Cat", "matrix cat", "MATRIX  CAT", "ＭＡＴＲＩＸ Cat"])
def test_another_learners_name_is_refused_whatever_the_case_or_spacing(make_user, learner, name):
    make_user("cat", display_name="Matrix Cat")
    with pytest.raises(ValidationError, match="taken"):
        profile_update(user=learner, display_name=name)


def test_keeping_ones_own_name_in_another_case_is_fine(make_user):
    user = make_user("cat", display_name="Matrix Cat")
    assert profile_update(user=user, display_name="matrix cat").display_name == "matrix cat"


def test_invisible_characters_cannot_make_a_name_look_unique(make_user, learner):
    make_user("cat", display_name="Matrix Cat")
    with pytest.raises(ValidationError):
        profile_update(user=learner, display_name="Matrix\u200bCat")


def test_the_profile_page_says_why_and_keeps_the_old_name(client, make_user):
    user = make_user("cat", display_name="Matrix Cat")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"display_name": "learner-1"})
    assert response.status_code == 200 and "reserved" in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.display_name == "Matrix Cat"


def test_the_admin_applies_the_same_rules(admin_client, make_user):
    make_user("cat", display_name="Matrix Cat")
    other = make_user("dog")
    url = reverse("admin:accounts_profile_change", args=[other.profile.pk])
    response = admin_client.post(url, {"user": other.pk, "display_name": "matrix  CAT", "is_instructor": ""})
    assert response.status_code == 200 and "taken" in response.content.decode()
    other.profile.refresh_from_db()
    assert other.profile.display_name == ""


def test_the_comparison_key_follows_the_name_on_every_save(make_user, learner):
    user = make_user("cat")
    user.profile.display_name = "Matrix Cat"
    user.profile.save()  # not through the service: a shell, a data migration
    with pytest.raises(ValidationError, match="taken"):
        profile_update(user=learner, display_name="matrix cat")
