"""LTI 1.3 for tensordojo, on django-lti (which is built on pylti1p3).

The library validates launches (OIDC state, JWT signature against the platform's keys,
expiry, issuer/audience against a registration, deployment) and speaks Assignment and
Grade Services. This module decides what a launch means here: which account logs in,
what the link opens, and which score goes back.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

import requests
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from lti_tool.models import Key, LtiLaunch, LtiRegistration
from lti_tool.utils import DjangoToolConfig, sync_data_from_launch
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector

from accounts.services import user_create
from catalog.models import Exercise, Track
from leaderboards.models import BestResult
from lti.models import GradeTarget, LtiAccount, Placement, ScoreSend
from lti.token_shape import id_token_problem

log = logging.getLogger("tensordojo.lti")

CUSTOM_EXERCISE = "tensordojo_exercise"  # custom parameter a deep link sets: which exercise to open
CUSTOM_TRACK = "tensordojo_track"  # ... or which track
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
HTTP_TIMEOUT = 10  # seconds for any call to the LMS
NONCE_GRACE = 300  # seconds a used nonce is remembered beyond the token's expiry

# The library's words for why a launch failed, said for a person.
_REASONS = [
    ("Signature verification failed", "its signature does not match the platform's published keys"),
    ("Signature has expired", "it has expired; launch the tool again from your course"),
    ("Registration not found", "no registered platform has this issuer and client id (audience)"),
    ("Client id not registered", "its audience is not the client id registered for this issuer"),
    ("State not found", "it did not start with a login from this browser; launch the tool again from your course"),
    ("Missing state", "it did not start with a login from this browser; launch the tool again from your course"),
    ("Invalid Nonce", "its nonce was not issued by this tool"),
    ("Could not find registration", "no registered platform has this issuer and client id"),
    ("Unable to find public key", "the platform's key set has no key for its signature"),
    ("Error during fetch URL", "the platform's key set could not be fetched (its keyset URL)"),
]


class LaunchRefused(Exception):
    """A launch we will not honour; the message is shown to the person."""


@dataclass(frozen=True)
class ScoreValue:
    given: float
    maximum: float


class _TimeoutSession(requests.Session):
    """pylti1p3 makes its requests without a timeout; an LMS that hangs must not hang a worker."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return super().request(*args, **kwargs)


def tool_key() -> Key:
    """The tool's signing key (made on first use): its public half is our JWKS."""
    key = Key.objects.active().order_by("-datetime_created").first()
    return key or Key.objects.generate()


def explain(exc: Exception) -> str:
    detail = str(exc)
    for needle, reason in _REASONS:
        if needle in detail:
            return f"The launch was refused: {reason}."
    return f"The launch was refused: {detail or type(exc).__name__}."


def _consume_nonce(lti_launch: LtiLaunch) -> None:
    """Refuse a second use of one launch's nonce (pylti1p3 checks a nonce was issued, not that it is unused)."""
    data = lti_launch.get_launch_data()
    expires = int(data.get("exp", time.time()))
    key = "lti:nonce:" + hashlib.sha256(f"{data.get('iss')}|{data.get('nonce')}".encode()).hexdigest()
    if not cache.add(key, 1, timeout=max(expires - int(time.time()), 0) + NONCE_GRACE):
        raise LaunchRefused(
            "The launch was refused: it was already used (a replayed nonce). Launch again from your course."
        )


def launch_validate(request) -> LtiLaunch:
    """Validate an LTI message launch (id_token + state) and record what it tells about the course."""
    tool_key()
    if "id_token" in request.POST:  # a missing one is the library's to name
        problem = id_token_problem(request.POST["id_token"])
        if problem:
            log.info("LTI launch refused", extra={"reason": problem})
            raise LaunchRefused(f"The launch was refused: {problem}.")
    try:
        # lti_tool.utils.get_launch_from_request, with a timeout on the platform key set fetch.
        message_launch = DjangoMessageLaunch(
            request,
            DjangoToolConfig(),
            launch_data_storage=DjangoCacheDataStorage(),
            requests_session=_TimeoutSession(),
        )
        lti_launch = LtiLaunch(message_launch.validate())
    except (LtiException, KeyError, ValueError) as exc:
        log.info("LTI launch refused", extra={"reason": str(exc)})
        raise LaunchRefused(explain(exc)) from exc
    except (TypeError, AttributeError) as exc:  # the library tripped over a claim of a shape not checked above
        log.warning("LTI launch refused: the library could not read it", exc_info=True)
        raise LaunchRefused("The launch was refused: its id_token could not be read.") from exc
    _consume_nonce(lti_launch)
    sync_data_from_launch(lti_launch)
    if not lti_launch.deployment.is_active:
        raise LaunchRefused(
            "The launch was refused: this deployment of the tool is not activated. "
            "An instructor or operator activates it on the LTI platforms page."
        )
    return lti_launch


def _username_for(registration: LtiRegistration, sub: str) -> str:
    return "lti-" + hashlib.sha256(f"{registration.pk}|{sub}".encode()).hexdigest()[:20]


def account_for_launch(lti_launch: LtiLaunch):
    """The tensordojo account linked to the launch's LTI identity, made on its first launch."""
    lti_user = lti_launch.user
    account = LtiAccount.objects.filter(lti_user=lti_user).select_related("user").first()
    if account:
        return account.user
    try:
        with transaction.atomic():
            user = user_create(
                username=_username_for(lti_launch.registration, lti_user.sub),
                email=lti_user.email or "",
                password=secrets.token_urlsafe(32),
            )
            user.set_unusable_password()  # this account logs in through its LMS only
            user.save(update_fields=["password"])
            LtiAccount.objects.create(lti_user=lti_user, user=user)
    except IntegrityError:  # two first launches at once: the other one made it
        return LtiAccount.objects.select_related("user").get(lti_user=lti_user).user
    return user


def is_course_staff(lti_launch: LtiLaunch) -> bool:
    """Instructors, administrators and content developers of the course may place content."""
    membership = lti_launch.membership
    return bool(membership.is_instructor or membership.is_administrator or membership.is_content_developer)


def placement_for_launch(lti_launch: LtiLaunch) -> Placement:
    """What this resource link opens (from the custom parameters a deep link set), and its line item."""
    custom = lti_launch.get_claim("https://purl.imsglobal.org/spec/lti/claim/custom") or {}
    exercise = track = None
    if custom.get(CUSTOM_EXERCISE):
        exercise = Exercise.objects.filter(slug=custom[CUSTOM_EXERCISE], is_active=True).first()
        if exercise is None:
            raise LaunchRefused(f"This link opens the exercise {custom[CUSTOM_EXERCISE]!r}, which does not exist here.")
    elif custom.get(CUSTOM_TRACK):
        track = Track.objects.filter(slug=custom[CUSTOM_TRACK]).first()
        if track is None:
            raise LaunchRefused(f"This link opens the track {custom[CUSTOM_TRACK]!r}, which does not exist here.")
    else:
        raise LaunchRefused(
            "This link does not say which exercise or track to open. "
            "Ask your instructor to place it again through the tool's content picker (deep linking)."
        )
    ags = lti_launch.ags_claim or {}
    placement, _ = Placement.objects.update_or_create(
        resource_link=lti_launch.resource_link,
        defaults={
            "exercise": exercise,
            "track": track,
            "lineitem_url": ags.get("lineitem", ""),
            "can_publish_scores": SCORE_SCOPE in ags.get("scope", []),
        },
    )
    return placement


def grade_target_for(*, user, placement: Placement, lti_launch: LtiLaunch) -> GradeTarget | None:
    """Remember where this learner's scores go, when the link has a line item we may post to."""
    if not (placement.lineitem_url and placement.can_publish_scores and lti_launch.membership.is_learner):
        return None
    target, _ = GradeTarget.objects.update_or_create(
        user=user, placement=placement, defaults={"lti_user": lti_launch.user}
    )
    return target


def deep_link_resource(*, launch_url: str, exercise: Exercise | None = None, track: Track | None = None):
    """A content item for the platform: our launch URL, what it opens, and a line item for its scores."""
    if exercise is not None:
        title, custom, maximum = exercise.title, {CUSTOM_EXERCISE: exercise.slug}, exercise.points
        resource_id = f"exercise:{exercise.slug}"
    elif track is not None:
        title, custom = track.title, {CUSTOM_TRACK: track.slug}
        maximum = track.exercises.filter(is_active=True).aggregate(total=Sum("points"))["total"] or 0.0
        resource_id = f"track:{track.slug}"
    else:
        raise ValueError("deep_link_resource needs an exercise or a track")
    lineitem = LineItem().set_label(title).set_score_maximum(maximum).set_resource_id(resource_id)
    return DeepLinkResource().set_url(launch_url).set_title(title).set_custom_params(custom).set_lineitem(lineitem)


def deep_link_jwt(lti_launch: LtiLaunch, resources: list) -> tuple[str, str]:
    """The signed deep linking response and the platform URL to post it to."""
    deep_link = lti_launch.get_message_launch().get_deep_link()
    settings_claim = lti_launch.get_claim("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings") or {}
    return deep_link.get_response_jwt(resources), settings_claim.get("deep_link_return_url", "")


def score_for(*, user, placement: Placement) -> ScoreValue | None:
    """The learner's best score on what the link opens (a track adds up its exercises)."""
    if placement.exercise_id:
        exercises = Exercise.objects.filter(id=placement.exercise_id)
    elif placement.track_id:
        exercises = Exercise.objects.filter(track_id=placement.track_id, is_active=True)
    else:
        return None
    maximum = exercises.aggregate(total=Sum("points"))["total"] or 0.0
    bests = BestResult.objects.filter(user=user, cohort__isnull=True, exercise__in=exercises)
    if not bests.exists():
        return None
    return ScoreValue(given=bests.aggregate(total=Sum("score"))["total"] or 0.0, maximum=maximum)


def score_send(target: GradeTarget, submission=None) -> ScoreSend | None:
    """Post the learner's current score to the placement's line item (AGS score service)."""
    value = score_for(user=target.user, placement=target.placement)
    if value is None:
        return None
    placement = target.placement
    registration = placement.resource_link.context.deployment.registration
    connector = ServiceConnector(registration.to_registration(), requests_session=_TimeoutSession())
    ags = AssignmentsGradesService(connector, {"scope": [SCORE_SCOPE], "lineitem": placement.lineitem_url})
    grade = (
        Grade()
        .set_score_given(value.given)
        .set_score_maximum(value.maximum)
        .set_timestamp(timezone.now().isoformat())
        .set_activity_progress("Completed" if value.given >= value.maximum - 1e-9 else "Submitted")
        .set_grading_progress("FullyGraded")
        .set_user_id(target.lti_user.sub)
    )
    send = ScoreSend(target=target, submission=submission, score_given=value.given, score_maximum=value.maximum)
    try:
        ags.put_grade(grade)
        send.ok = True
    except LtiServiceException as exc:
        send.error = f"The platform answered {exc}"[:2000]
    except (LtiException, requests.RequestException) as exc:
        send.error = f"{type(exc).__name__}: {exc}"[:2000]
    send.save()
    if not send.ok:
        log.warning("score passback failed", extra={"target": target.pk, "error": send.error})
    return send


def scores_send_for_submission(submission) -> list[ScoreSend]:
    """Called when a submission finishes grading: send the score to each line item it belongs to."""
    exercise = submission.exercise
    targets = GradeTarget.objects.filter(user_id=submission.user_id).filter(
        Q(placement__exercise_id=exercise.id) | Q(placement__track_id=exercise.track_id)
    )
    targets = targets.select_related("placement__resource_link__context__deployment__registration", "lti_user", "user")
    return [send for target in targets if (send := score_send(target, submission)) is not None]
