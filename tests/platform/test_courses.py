"""Courses own exercises; a push stores versions by content hash and refuses bad input whole.

No exercise code runs in these tests' process: pushes read TOML and Markdown only, and the
checks (the sandbox's) are in test_course_checks.py.
"""

from __future__ import annotations

import io
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_EXERCISES


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GRADER_CACHE_DIR = tmp_path / "cache"


def course_folder(tmp_path: Path, *slugs: str) -> Path:
    """A course folder holding copies of fixture exercises under new slugs (slug = folder name)."""
    root = tmp_path / "course"
    for slug in slugs:
        target = root / slug
        shutil.copytree(FIXTURE_EXERCISES / "golden-probe", target)
        toml = (target / "exercise.toml").read_text().replace('slug = "golden-probe"', f'slug = "{slug}"')
        (target / "exercise.toml").write_text(toml)
    return root


def tar_gz(root: Path) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
    return out.getvalue()


@pytest.fixture
def instructor(make_user):
    return make_user("teacher", instructor=True)


@pytest.fixture
def push(instructor):
    from courses.services import course_for_push, push_create

    def run(data: bytes, slug: str = "linear-algebra", user=None, publish: bool = False):
        course = course_for_push(user=user or instructor, slug=slug)
        return push_create(course=course, user=user or instructor, data=data, publish=publish)

    return run


def test_an_unknown_course_is_created_owned_by_the_pusher(push, instructor, tmp_path):
    from courses.models import CourseStaff, Role

    done = push(tar_gz(course_folder(tmp_path, "first-steps")))
    assert CourseStaff.objects.get(course=done.course, user=instructor).role == Role.OWNER
    assert [entry.slug for entry in done.exercises.all()] == ["first-steps"]


def test_a_pushed_exercise_is_a_stored_version_not_yet_published(push, tmp_path, settings):
    from catalog.models import CheckStatus, Exercise
    from catalog.versions import archive_name

    done = push(tar_gz(course_folder(tmp_path, "first-steps")))
    entry = done.exercises.get()
    assert entry.version.archive == archive_name("first-steps", entry.version.version)
    assert (Path(settings.MEDIA_ROOT) / entry.version.archive).is_file()
    assert entry.status == CheckStatus.PENDING
    exercise = Exercise.objects.get(slug="first-steps")
    assert not exercise.is_active and exercise.current_version is None  # only a checked version is published


def test_pushing_the_same_files_twice_stores_one_version(push, tmp_path, settings):
    data = tar_gz(course_folder(tmp_path, "first-steps"))
    one, two = push(data), push(data)
    assert one.exercises.get().version_id == two.exercises.get().version_id
    assert len(list((Path(settings.MEDIA_ROOT) / "exercise-versions").iterdir())) == 1


def test_a_worker_fetches_exactly_the_stored_files_and_refuses_altered_ones(push, tmp_path, settings):
    from catalog.versions import VersionUnavailable, version_files

    version = push(tar_gz(course_folder(tmp_path, "first-steps"))).exercises.get().version
    folder = version_files(slug="first-steps", version=version.version, archive=version.archive)
    assert folder.version == version.version and folder.slug == "first-steps"
    (folder.path / "solution.py").write_text("def solve(x):\n    return 0\n")  # tampered on this worker's disk
    with pytest.raises(VersionUnavailable):
        version_files(slug="first-steps", version=version.version, archive=version.archive)


def test_only_the_course_staff_push_to_it(push, make_user, tmp_path):
    from courses.services import CourseRefused

    push(tar_gz(course_folder(tmp_path, "first-steps")))
    stranger = make_user("stranger", instructor=True)
    with pytest.raises(CourseRefused, match="not on the staff"):
        push(tar_gz(course_folder(tmp_path / "b", "other")), user=stranger)
    learner = make_user("pupil")
    with pytest.raises(CourseRefused, match="Only instructors"):
        push(tar_gz(course_folder(tmp_path / "c", "other")), slug="their-own", user=learner)


def test_a_slug_of_another_course_is_refused_on_its_own_line(push, make_user, tmp_path):
    push(tar_gz(course_folder(tmp_path, "shared-name")))
    other = make_user("other-teacher", instructor=True)
    done = push(tar_gz(course_folder(tmp_path / "b", "shared-name", "fine-name")), slug="another", user=other)
    lines = {entry.slug: entry for entry in done.exercises.all()}
    assert "belongs to the course 'linear-algebra'" in lines["shared-name"].refused
    assert lines["fine-name"].version is not None


def test_a_malformed_exercise_toml_names_the_file_and_the_field(push, tmp_path):
    root = course_folder(tmp_path, "broken")
    toml = root / "broken" / "exercise.toml"
    toml.write_text(toml.read_text().replace('difficulty = "easy"', 'difficulty = "trivial"'))
    entry = push(tar_gz(root)).exercises.get()
    assert entry.version is None
    assert "exercise.toml: difficulty" in entry.refused and "'trivial'" in entry.refused


def _zip(members: dict[str, bytes], link: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (0o120777) << 16  # a symbolic link
            archive.writestr(info, "/etc/passwd")
    return out.getvalue()


def _tar_with_link() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        info = tarfile.TarInfo("ex/solution.py")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(info)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (_zip({"../escape/exercise.toml": b"x"}), "outside the course folder"),
        (_zip({"/etc/cron.d/x": b"x"}), "outside the course folder"),
        (_zip({"ex/exercise.toml": b"x"}, link="ex/solution.py"), "no links"),
        (_tar_with_link(), "no links"),
        (_zip({"ex/big.npy": b"\0" * (6 << 20)}), "unpacks to more than 5 MiB"),  # a zip bomb's shape
        (_zip({f"ex/f{i}.py": b"" for i in range(5_001)}), "more than 5000 files"),
        (b"this is not an archive at all", "neither a zip nor"),
        (_zip({"README.md": b"# nothing"}), "no exercise folders"),
    ],
    ids=["dotdot", "absolute", "zip-symlink", "tar-symlink", "bomb", "many-files", "garbage", "empty"],
)
def test_a_hostile_or_broken_upload_is_refused_whole_and_stores_nothing(push, data, why, settings):
    from catalog.models import ExerciseVersion
    from courses.archive import ArchiveRefused
    from courses.models import Push

    with pytest.raises(ArchiveRefused, match=why):
        push(data)
    assert not Push.objects.exists() and not ExerciseVersion.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "exercise-versions").exists()


def test_the_builtin_exercises_are_a_public_course_stored_as_versions(catalogue, settings):
    from catalog.models import Exercise
    from catalog.services import BUILTIN_COURSE

    probe = Exercise.objects.get(slug="golden-probe")
    assert probe.course.slug == BUILTIN_COURSE and probe.course.is_public
    assert (Path(settings.MEDIA_ROOT) / probe.current_version.archive).is_file()


def test_the_api_refuses_an_upload_over_its_limit_before_reading_it(client, instructor, settings):
    settings.COURSE_ARCHIVE_MAX_BYTES = 1000
    client.force_login(instructor)
    response = client.post(
        "/api/courses/linear-algebra/pushes", data=b"\0" * 5000, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "url",
    ["file:///etc", "http://example.com/x.git", "ssh://git@example.com/x.git", "https://user:pw@example.com/x.git"],
)
def test_a_course_follows_only_public_https_repositories(push, tmp_path, url):
    from courses.services import course_follow

    course = push(tar_gz(course_folder(tmp_path, "first-steps"))).course
    with pytest.raises(ValueError):
        course_follow(course=course, url=url, branch="main")


def test_a_branch_name_cannot_smuggle_an_option_to_git(push, tmp_path):
    from courses.services import course_follow

    course = push(tar_gz(course_folder(tmp_path, "first-steps"))).course
    for branch in ("--upload-pack=touch /tmp/x", "main;rm", "../x", ""):
        with pytest.raises(ValueError):
            course_follow(course=course, url="https://example.com/x.git", branch=branch)


def test_the_webhook_queues_a_sync_only_with_the_courses_signature(push, tmp_path, client, monkeypatch):
    import hashlib
    import hmac

    from courses.services import course_follow

    queued = []
    monkeypatch.setattr("api.courses.send_sync", queued.append)
    course = course_follow(
        course=push(tar_gz(course_folder(tmp_path, "first-steps"))).course,
        url="https://example.com/x.git",
        branch="main",
    )
    body = b'{"ref": "refs/heads/main"}'
    url = f"/api/courses/{course.slug}/webhook"
    forged = client.post(url, data=body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256="sha256=00")
    assert forged.status_code == 403 and queued == []
    good = "sha256=" + hmac.new(course.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    answer = client.post(url, data=body, content_type="application/octet-stream", HTTP_X_HUB_SIGNATURE_256=good)
    assert answer.status_code == 202 and queued == [course.id]


def test_a_worker_grades_the_version_named_not_the_folder_on_its_disk(db, settings, tmp_path):
    from catalog.models import Exercise, ExerciseVersion
    from catalog.services import exercises_sync, version_folder
    from catalog.versions import VersionUnavailable

    root = tmp_path / "exercises"
    shutil.copytree(FIXTURE_EXERCISES, root)
    settings.EXERCISES_DIR = root
    exercises_sync(root=root, publish_unproven=True)
    named = Exercise.objects.get(slug="golden-probe").current_version
    (root / "golden-probe" / "solution.py").write_text("def solve(x):\n    return None\n")  # the disk moves on

    folder = version_folder(named)
    assert folder.version == named.version
    assert "return None" not in folder.solution

    ExerciseVersion.objects.filter(id=named.id).update(archive="")  # a version stored before versions were data
    named.refresh_from_db()
    with pytest.raises(VersionUnavailable, match="not " + named.version):
        version_folder(named)


def test_a_regrade_is_the_explicit_move_to_the_current_version(db, settings, tmp_path, make_user, sent_tasks):
    from catalog.models import Exercise
    from catalog.services import exercises_sync
    from submissions.models import Submission
    from submissions.services import submissions_regrade

    root = tmp_path / "exercises"
    shutil.copytree(FIXTURE_EXERCISES, root)
    settings.EXERCISES_DIR = root
    exercises_sync(root=root, publish_unproven=True)
    exercise = Exercise.objects.get(slug="golden-probe")
    first = exercise.current_version
    submission = Submission.objects.create(
        user=make_user("pupil"), exercise=exercise, exercise_version=first, source="x", status=Submission.GRADED
    )
    (root / "golden-probe" / "README.md").write_text("# Golden probe\n\nClearer words.\n")
    exercises_sync(root=root, publish_unproven=True)  # a fixed exercise: a new version
    exercise.refresh_from_db()
    assert exercise.current_version_id != first.id
    submission.refresh_from_db()
    assert submission.exercise_version_id == first.id  # nothing moves by itself

    assert submissions_regrade(exercise=exercise) == 1
    submission.refresh_from_db()
    assert submission.exercise_version_id == exercise.current_version_id


def test_a_cohort_uses_public_courses_and_its_instructors_own_courses_only(push, make_user, tmp_path, instructor):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from catalog.models import Exercise
    from cohorts.services import cohort_create
    from courses.selectors import exercises_usable_by

    entry = push(tar_gz(course_folder(tmp_path, "private-one"))).exercises.get()
    Exercise.objects.filter(slug="private-one").update(is_active=True, current_version=entry.version)
    other = make_user("other-teacher", instructor=True)
    assert "private-one" in {e.slug for e in exercises_usable_by(user=instructor)}
    assert "private-one" not in {e.slug for e in exercises_usable_by(user=other)}
    with pytest.raises(ValidationError, match="courses you are on the staff of"):
        cohort_create(
            user=other,
            name="Poachers",
            starts_at=timezone.now(),
            exercises=list(Exercise.objects.filter(slug="private-one")),
        )
    everything = cohort_create(user=other, name="All of it", starts_at=timezone.now())
    assert not everything.exercises.filter(slug="private-one").exists()


def test_a_stored_archive_that_climbs_out_is_refused_not_unpacked(push, tmp_path, settings):
    from django.core.files.storage import default_storage

    from catalog.versions import VersionUnavailable, version_files

    version = push(tar_gz(course_folder(tmp_path, "first-steps"))).exercises.get().version
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        info = tarfile.TarInfo("../escaped.py")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"x"))
    default_storage.delete(version.archive)
    default_storage.save(version.archive, io.BytesIO(out.getvalue()))
    with pytest.raises(VersionUnavailable, match="escaped"):
        version_files(slug="first-steps", version=version.version, archive=version.archive)
    assert not (Path(settings.GRADER_CACHE_DIR) / "versions" / "escaped.py").exists()
