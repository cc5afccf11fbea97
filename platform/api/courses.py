"""Courses in the API: push a folder of exercise folders, follow its checks, publish what passed.

POST /api/courses/{slug}/pushes?publish=1    body: a gzipped tar or a zip (Content-Type application/octet-stream,
                                              application/x-tar or application/zip); an unknown course is
                                              created, owned by the caller
GET  /api/courses/{slug}/pushes/{id}         each exercise: pending | checking | passed | failed, why
POST /api/courses/{slug}/exercises/{exercise}/publish   the latest version whose check passed
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import ERROR
from catalog.models import CheckStatus, Exercise, ExerciseVersion
from courses.archive import ArchiveRefused
from courses.dispatch import send_sync
from courses.git_sync import SyncFailed, signature_valid
from courses.models import Course, Push
from courses.services import (
    CourseRefused,
    can_edit,
    course_follow,
    course_for_push,
    course_sync,
    push_create,
    version_publish,
)

ERROR_403 = OpenApiResponse(ERROR, description="Not allowed")


class ArchiveParser(BaseParser):
    """The request body as bytes, read up to COURSE_ARCHIVE_MAX_BYTES (then refused, nothing kept)."""

    media_type = "application/*"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.COURSE_ARCHIVE_MAX_BYTES
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise ParseError(f"The upload is over {limit >> 20} MiB; a course is exercise folders, not a data set.")
        return data


class PushedExerciseSerializer(serializers.Serializer):
    slug = serializers.CharField()
    status = serializers.ChoiceField(choices=CheckStatus.choices)
    reason = serializers.CharField(help_text="Why it failed, in one line (empty otherwise)")
    version = serializers.CharField(source="version.version", default=None, allow_null=True)
    published = serializers.BooleanField()
    finished = serializers.BooleanField()


class PushSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    course = serializers.CharField(source="course.slug")
    publish = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    finished = serializers.SerializerMethodField()
    exercises = PushedExerciseSerializer(many=True, source="entries")

    def get_finished(self, push) -> bool:
        return all(entry.finished for entry in push.entries)


def _serialise(push: Push) -> dict:
    push.entries = list(push.exercises.select_related("version").order_by("slug"))
    return PushSerializer(push).data


class CoursePushCreate(APIView):
    parser_classes = [ArchiveParser]

    @extend_schema(
        request={"application/octet-stream": {"type": "string", "format": "binary"}},
        parameters=[OpenApiParameter("publish", bool, description="publish each exercise whose check passes")],
        responses={201: PushSerializer, 403: OpenApiResponse(ERROR, description="Not on the course's staff")},
    )
    def post(self, request, slug):
        """Push exercise folders to a course; each is stored as a version and checked in a sandbox."""
        if not isinstance(request.data, bytes) or not request.data:
            raise ValidationError({"detail": "Send the course as a gzipped tar or a zip in the request body."})
        publish = request.query_params.get("publish", "") in ("1", "true", "yes")
        try:
            course = course_for_push(user=request.user, slug=slug)
            push = push_create(course=course, user=request.user, data=request.data, publish=publish)
        except CourseRefused as exc:
            raise PermissionDenied(str(exc)) from exc
        except ArchiveRefused as exc:
            raise ValidationError({"detail": f"The upload was refused, nothing was stored: {exc}"}) from exc
        return Response(_serialise(push), status=201)


def _course_you_edit(request, slug: str) -> Course:
    course = Course.objects.filter(slug=slug).first()
    if course is None or not can_edit(user=request.user, course=course):
        raise NotFound("No such course, or not one you are on the staff of.")
    return course


class CoursePushDetail(APIView):
    @extend_schema(responses=PushSerializer)
    def get(self, request, slug, push_id):
        """One push: each exercise's check, until every one has finished."""
        course = _course_you_edit(request, slug)
        push = Push.objects.filter(course=course, id=push_id).first()
        if push is None:
            raise NotFound("No such push.")
        return Response(_serialise(push))


class ExercisePublish(APIView):
    @extend_schema(request=None, responses={200: OpenApiResponse(ERROR, description="Published")})
    def post(self, request, slug, exercise):
        """Publish the exercise's latest version whose check passed."""
        course = _course_you_edit(request, slug)
        found = Exercise.objects.filter(course=course, slug=exercise).first()
        if found is None:
            raise NotFound("No such exercise in this course.")
        version = (
            ExerciseVersion.objects.filter(exercise=found, check_status=CheckStatus.PASSED)
            .order_by("-created_at")
            .first()
        )
        if version is None:
            raise ValidationError({"detail": "No version of this exercise has passed its check yet."})
        version_publish(version=version)
        return Response({"detail": f"{exercise} is published at version {version.version}."})


class RepositorySerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500, help_text="https URL of a public git repository")
    branch = serializers.CharField(max_length=200, default="main")
    publish = serializers.BooleanField(default=True, help_text="publish each version that passes its check")


class RepositoryAnswer(serializers.Serializer):
    url = serializers.CharField()
    branch = serializers.CharField()
    webhook = serializers.CharField(help_text="where the repository's push webhook should POST")
    secret = serializers.CharField(help_text="the webhook's HMAC-SHA256 secret (shown once per change)")


class CourseRepository(APIView):
    @extend_schema(request=RepositorySerializer, responses=RepositoryAnswer)
    def put(self, request, slug):
        """Make the course follow a repository's branch; answers the webhook URL and its new secret."""
        course = _course_you_edit(request, slug)
        data = RepositorySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            course = course_follow(course=course, **data.validated_data)
        except ValueError as exc:
            raise ValidationError({"url": [str(exc)]}) from exc
        webhook = request.build_absolute_uri(f"/api/courses/{course.slug}/webhook")
        answer = {"url": course.repository_url, "branch": course.repository_branch, "webhook": webhook}
        return Response({**answer, "secret": course.webhook_secret})


class CourseSync(APIView):
    @extend_schema(request=None, responses={201: PushSerializer})
    def post(self, request, slug):
        """Fetch the followed branch now and push it (the Sync button); follow the push for the checks."""
        course = _course_you_edit(request, slug)
        try:
            push = course_sync(course=course, user=request.user)
        except (SyncFailed, ArchiveRefused) as exc:
            raise ValidationError({"detail": f"Nothing was stored: {exc}"}) from exc
        return Response(_serialise(push), status=201)


class CourseWebhook(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [ArchiveParser]  # the body is read as bytes: the signature covers them exactly

    @extend_schema(
        request={"application/octet-stream": {"type": "string", "format": "binary"}},
        responses={202: OpenApiResponse(ERROR, description="A sync is queued"), 403: ERROR_403},
    )
    def post(self, request, slug):
        """The repository's push webhook: signed with the course's secret (X-Hub-Signature-256: sha256=...)."""
        course = Course.objects.filter(slug=slug).exclude(repository_url="").first()
        header = request.headers.get("X-Hub-Signature-256") or request.headers.get("X-Tensordojo-Signature", "")
        body = request.data if isinstance(request.data, bytes) else b""
        if course is None or not signature_valid(course.webhook_secret, body, header):
            raise PermissionDenied("The signature does not match this course's webhook secret.")
        try:
            send_sync(course.id)
        except Exception as exc:  # noqa: BLE001 - the broker is down: the sender retries its webhook
            return Response({"detail": f"Could not queue the sync: {exc}"[:300]}, status=503)
        return Response({"detail": f"A sync of {course.slug} is queued."}, status=202)
