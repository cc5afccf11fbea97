"""The REST API: thin views that parse input, call one service or selector, serialise."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import ERROR
from api.serializers import (
    ExerciseDetailSerializer,
    ExerciseSerializer,
    LeaderboardRowSerializer,
    SubmissionCreateSerializer,
    SubmissionSerializer,
)
from catalog.models import Exercise
from catalog.visibility import exercises_visible_to
from cohorts.models import Cohort
from cohorts.selectors import is_member
from leaderboards.selectors import leaderboard
from submissions.models import Submission
from submissions.selectors import can_view_submission
from submissions.services import RateLimited, SubmissionRejected, submission_create


class VisibleExercises:
    """The exercises the caller may see (catalog.visibility): any other slug is a 404."""

    queryset = Exercise.objects.none()  # the schema's model; each request reads its own user's

    def get_queryset(self):
        return exercises_visible_to(user=self.request.user).select_related("track", "current_version")


class ExerciseList(VisibleExercises, generics.ListAPIView):
    serializer_class = ExerciseSerializer


class ExerciseDetail(VisibleExercises, generics.RetrieveAPIView):
    serializer_class = ExerciseDetailSerializer
    lookup_field = "slug"


class SubmissionListQuery(serializers.Serializer):
    exercise = serializers.SlugField(required=False, max_length=100, help_text="only this exercise")


class LeaderboardQuery(serializers.Serializer):
    cohort = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="a cohort you belong to"
    )


def _query(serializer_class, request) -> dict:
    """The validated query parameters; a malformed one is a 400 that names it."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class SubmissionListCreate(APIView):
    @extend_schema(parameters=[SubmissionListQuery], responses=SubmissionSerializer(many=True))
    def get(self, request):
        """Your 100 latest submissions, newest first."""
        exercise = _query(SubmissionListQuery, request).get("exercise")
        query = Submission.objects.filter(user=request.user).select_related("exercise")
        if exercise:
            query = query.filter(exercise__slug=exercise)
        return Response(SubmissionSerializer(query[:100], many=True).data)

    @extend_schema(
        request=SubmissionCreateSerializer,
        responses={201: SubmissionSerializer, 404: OpenApiResponse(ERROR, description="No such exercise")},
    )
    def post(self, request):
        """Submit code for grading; poll the submission until `status` is graded or error."""
        data = SubmissionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exercise = exercises_visible_to(user=request.user).filter(slug=data.validated_data["exercise"]).first()
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
        """One submission: yours, or a learner's of a cohort you teach."""
        submission = Submission.objects.select_related("exercise").filter(id=submission_id).first()
        if submission is None or not can_view_submission(user=request.user, submission=submission):
            raise NotFound("No such submission.")
        return Response(SubmissionSerializer(submission).data)


class Leaderboard(APIView):
    @extend_schema(
        parameters=[LeaderboardQuery],
        responses={
            200: LeaderboardRowSerializer(many=True),
            403: OpenApiResponse(ERROR, description="Not a member of that cohort"),
        },
    )
    def get(self, request, slug):
        """The exercise's board (of one cohort with `?cohort=`): score, then time, then who was first."""
        cohort_id = _query(LeaderboardQuery, request).get("cohort")
        exercise = exercises_visible_to(user=request.user).filter(slug=slug).first()
        if exercise is None:
            raise NotFound("No such exercise.")
        cohort = None
        if cohort_id is not None:
            cohort = Cohort.objects.filter(id=cohort_id).first()
            if cohort is None:
                raise NotFound("No such cohort.")
            if not is_member(user=request.user, cohort=cohort):
                raise PermissionDenied("Not a member of that cohort.")
        rows = leaderboard(exercise=exercise, cohort=cohort, me=request.user)
        return Response(LeaderboardRowSerializer(rows, many=True).data)


@csrf_exempt  # it changes nothing; without this a POST got the CSRF failure page (HTML 403), not the 404
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any path under /api/ no route matches: the API's JSON 404, for every method."""
    return JsonResponse({"detail": "No such API endpoint. The endpoints are listed in /api/schema."}, status=404)
