"""The REST API: thin views that parse input, call one service or selector, serialise."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import (
    ExerciseDetailSerializer,
    ExerciseSerializer,
    LeaderboardRowSerializer,
    SubmissionCreateSerializer,
    SubmissionSerializer,
)
from catalog.models import Exercise
from cohorts.models import Cohort
from cohorts.selectors import is_member
from leaderboards.selectors import leaderboard
from submissions.models import Submission
from submissions.selectors import can_view_submission
from submissions.services import RateLimited, SubmissionRejected, submission_create


class ExerciseList(generics.ListAPIView):
    serializer_class = ExerciseSerializer
    queryset = Exercise.objects.filter(is_active=True).select_related("track", "current_version")


class ExerciseDetail(generics.RetrieveAPIView):
    serializer_class = ExerciseDetailSerializer
    lookup_field = "slug"
    queryset = Exercise.objects.filter(is_active=True).select_related("track", "current_version")


class SubmissionListCreate(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("exercise", str, description="only this exercise")],
        responses=SubmissionSerializer(many=True),
    )
    def get(self, request):
        query = Submission.objects.filter(user=request.user).select_related("exercise")
        if request.query_params.get("exercise"):
            query = query.filter(exercise__slug=request.query_params["exercise"])
        return Response(SubmissionSerializer(query[:100], many=True).data)

    @extend_schema(request=SubmissionCreateSerializer, responses={201: SubmissionSerializer})
    def post(self, request):
        data = SubmissionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exercise = Exercise.objects.filter(slug=data.validated_data["exercise"], is_active=True).first()
        if exercise is None:
            raise NotFound("No such exercise.")
        try:
            submission = submission_create(user=request.user, exercise=exercise, source=data.validated_data["source"])
        except RateLimited as exc:
            raise Throttled(wait=exc.retry_after, detail=str(exc)) from exc
        except SubmissionRejected as exc:
            raise ValidationError({"source": [str(exc)]}) from exc
        return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)


class SubmissionDetail(APIView):
    @extend_schema(responses=SubmissionSerializer)
    def get(self, request, submission_id):
        submission = get_object_or_404(Submission.objects.select_related("exercise"), id=submission_id)
        if not can_view_submission(user=request.user, submission=submission):
            raise NotFound("No such submission.")
        return Response(SubmissionSerializer(submission).data)


class Leaderboard(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("cohort", int, description="a cohort you belong to")],
        responses=LeaderboardRowSerializer(many=True),
    )
    def get(self, request, slug):
        exercise = get_object_or_404(Exercise, slug=slug)
        cohort = None
        if request.query_params.get("cohort"):
            cohort = get_object_or_404(Cohort, id=request.query_params["cohort"])
            if not is_member(user=request.user, cohort=cohort):
                raise PermissionDenied("Not a member of that cohort.")
        rows = leaderboard(exercise=exercise, cohort=cohort, me=request.user)
        return Response(LeaderboardRowSerializer(rows, many=True).data)
