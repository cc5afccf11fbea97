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


@pytest.mark.parametrize("name", ["lеarner-9", "1earner-9", "lеаrnеr 9"])  # Cyrillic е/а, a digit one for an l
def test_look_alikes_of_a_pseudonym_in_other_letters_are_refused(learner, name):
    with pytest.raises(ValidationError, match="reserved"):
        profile_update(user=learner, display_name=name)


@pytest.mark.parametrize("name", ["Mаtrix Cat", "Matrix Cаt", "Ꮇatrix Cat"])  # Cyrillic а; Cherokee Ꮇ
def test_a_name_that_mixes_scripts_to_imitate_another_is_refused(make_user, learner, name):
    make_user("cat", display_name="Matrix Cat")
    with pytest.raises(ValidationError):
        profile_update(user=learner, display_name=name)


@pytest.mark.parametrize("name", ["Matrix Сat", "Мatrix", "Сasual"])  # a Cyrillic capital among Latin letters
def test_mixed_scripts_in_one_name_are_refused_even_when_nobody_has_the_latin_name(learner, name):
    with pytest.raises(ValidationError, match="one script"):
        profile_update(user=learner, display_name=name)


@pytest.mark.parametrize(
    ("taken", "imitation"),
    [("coco", "сосо"), ("Rnatrix", "Matrix"), ("poppa", "рорра")],  # whole-script look-alikes
)
def test_a_name_that_looks_the_same_in_one_other_script_is_taken(make_user, learner, taken, imitation):
    make_user("first", display_name=taken)
    with pytest.raises(ValidationError, match="taken"):
        profile_update(user=learner, display_name=imitation)


@pytest.mark.parametrize("name", ["Иван Петров", "山田たろう", "김철수", "José Núñez", "Ωμέγα", "Matrix Cat 2"])
def test_names_in_one_script_are_welcome(learner, name):
    assert profile_update(user=learner, display_name=name).display_name == name


def test_existing_keys_are_recomputed_as_skeletons(make_user):
    from accounts.models import Profile, display_key

    user = make_user("cat", display_name="Matrix Cat")
    Profile.objects.filter(user=user).update(display_key="matrix cat")  # a key stored before skeletons
    from importlib import import_module

    from django.apps import apps

    import_module("accounts.migrations.0003_display_key_skeleton").recompute_keys(apps, None)
    assert Profile.objects.get(user=user).display_key == display_key("Mаtrix Cat")
