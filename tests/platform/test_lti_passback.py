"""Grade passback (LTI Assignment and Grade Services): a finished grading posts the score to the LMS."""

from __future__ import annotations

from submissions.services import submission_create
from tests.platform import lti_platform
from tests.platform.conftest import graded
from tests.platform.lti_platform import INSTRUCTOR, LEARNER, launch

lms = lti_platform.lms  # fixtures shared by the LTI tests
registered = lti_platform.registered


def grade(user, exercise, score, capture):
    with capture(execute=True):  # the passback runs once the grading's transaction commits
        return graded(
            submission_create(user=user, exercise=exercise, source="def solve(x):\n    return x\n"), score=score
        )


def launched_learner(client, lms, custom, lineitem="sandbox-probe-column"):
    from lti.models import LtiAccount

    response, _ = launch(
        client, lms, user_id="lms-ada", roles=(LEARNER,), custom=custom, lineitem=lms.lineitem_url(lineitem)
    )
    assert response.status_code == 302
    return LtiAccount.objects.get(lti_user__sub="lms-ada").user


def test_a_graded_submission_sends_the_score_to_the_line_item(
    client, lms, registered, catalogue, sent_tasks, django_capture_on_commit_callbacks
):
    exercise = catalogue["sandbox-probe"]
    user = launched_learner(client, lms, {"tensordojo_exercise": exercise.slug})

    grade(user, exercise, 7.5, django_capture_on_commit_callbacks)

    [score] = lms.scores
    assert score["lineitem"] == "sandbox-probe-column"
    assert score["userId"] == "lms-ada"
    assert score["scoreGiven"] == 7.5 and score["scoreMaximum"] == exercise.points
    assert score["gradingProgress"] == "FullyGraded" and score["activityProgress"] == "Submitted"


def test_the_best_score_is_sent_not_the_latest(
    client, lms, registered, catalogue, sent_tasks, django_capture_on_commit_callbacks
):
    exercise = catalogue["sandbox-probe"]
    user = launched_learner(client, lms, {"tensordojo_exercise": exercise.slug})

    grade(user, exercise, exercise.points, django_capture_on_commit_callbacks)
    grade(user, exercise, 0, django_capture_on_commit_callbacks)

    assert [s["scoreGiven"] for s in lms.scores] == [exercise.points, exercise.points]
    assert lms.scores[0]["activityProgress"] == "Completed"


def test_a_track_link_sends_the_sum_over_its_exercises(
    client, lms, registered, catalogue, sent_tasks, django_capture_on_commit_callbacks
):
    exercise = catalogue["sandbox-probe"]
    track = exercise.track
    user = launched_learner(client, lms, {"tensordojo_track": track.slug}, lineitem="track-column")

    grade(user, exercise, 4, django_capture_on_commit_callbacks)

    [score] = lms.scores
    assert score["lineitem"] == "track-column"
    assert score["scoreGiven"] == 4
    assert score["scoreMaximum"] == sum(e.points for e in track.exercises.filter(is_active=True))


def test_a_submission_to_another_exercise_sends_nothing(
    client, lms, registered, catalogue, sent_tasks, django_capture_on_commit_callbacks
):
    user = launched_learner(client, lms, {"tensordojo_exercise": "sandbox-probe"})
    other = catalogue["timing-probe"]

    grade(user, other, 10, django_capture_on_commit_callbacks)

    assert lms.scores == []


def test_a_learner_who_did_not_come_through_the_lms_sends_nothing(
    make_user, lms, registered, catalogue, sent_tasks, django_capture_on_commit_callbacks
):
    grade(make_user("direct"), catalogue["sandbox-probe"], 10, django_capture_on_commit_callbacks)

    assert lms.scores == []


def test_a_refused_score_is_recorded_and_the_grading_stands(
    client, lms, registered, catalogue, sent_tasks, django_capture_on_commit_callbacks
):
    from lti.models import ScoreSend
    from submissions.models import Submission

    exercise = catalogue["sandbox-probe"]
    user = launched_learner(client, lms, {"tensordojo_exercise": exercise.slug})
    lms.tool_jwks = {"keys": []}  # the platform no longer knows our key: it refuses the token request

    submission = grade(user, exercise, 10, django_capture_on_commit_callbacks)

    assert lms.scores == []
    send = ScoreSend.objects.get()
    assert not send.ok and "platform answered" in send.error
    assert Submission.objects.get(id=submission.id).status == "graded"


def test_an_instructor_launch_creates_no_grade_target(client, lms, registered):
    from lti.models import GradeTarget

    response, _ = launch(
        client,
        lms,
        user_id="lms-teacher",
        roles=(INSTRUCTOR,),
        custom={"tensordojo_exercise": "sandbox-probe"},
        lineitem=lms.lineitem_url("col"),
    )

    assert response.status_code == 302
    assert not GradeTarget.objects.exists()


def test_an_operator_can_send_a_refused_score_again(
    client, lms, registered, catalogue, sent_tasks, django_capture_on_commit_callbacks, admin_user
):
    from lti.models import ScoreSend

    exercise = catalogue["sandbox-probe"]
    user = launched_learner(client, lms, {"tensordojo_exercise": exercise.slug})
    jwks, lms.tool_jwks = lms.tool_jwks, {"keys": []}
    grade(user, exercise, 10, django_capture_on_commit_callbacks)
    failed = ScoreSend.objects.get()
    lms.tool_jwks = jwks  # the LMS is fixed

    client.force_login(admin_user)
    response = client.post(
        "/admin/lti/scoresend/", {"action": "send_again", "_selected_action": [failed.pk]}, follow=True
    )

    assert "1 of 1 sent." in response.content.decode()
    assert [s["scoreGiven"] for s in lms.scores] == [10]
