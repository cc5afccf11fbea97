"""REST endpoints of the trial lane (the CLI's `test`): trial runs, and the visible cases for offline runs."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import ShownResultField
from catalog.visibility import exercises_visible_to
from trials.models import TrialRun
from trials.selectors import trial_get
from trials.services import (
    TrialRateLimited,
    TrialRejected,
    trial_create,
    trial_give_up_if_stale,
    visible_cases_get,
)


class TrialCreateSerializer(serializers.Serializer):
    exercise = serializers.SlugField()
    source = serializers.CharField(allow_blank=True, trim_whitespace=False)


class TrialSerializer(serializers.ModelSerializer):
    exercise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    finished = serializers.BooleanField(source="is_finished", read_only=True)
    counts = serializers.SerializerMethodField(help_text="Always false: a run is never an attempt.")
    result = ShownResultField(allow_null=True, help_text="results.json over the visible cases only.")

    class Meta:
        model = TrialRun
        fields = ["id", "exercise", "status", "finished", "counts", "result", "error_message", "created_at"]

    def get_counts(self, trial) -> bool:
        return False


class VisibleCasesSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="ready")
    exercise = serializers.SlugField()
    version = serializers.CharField()
    entry_points = serializers.ListField(child=serializers.CharField())
    modules = serializers.ListField(child=serializers.CharField())
    cases = serializers.ListField(
        child=serializers.JSONField(),
        help_text="Visible cases only: name, entry, args, kwargs, expected (or expect_error), rtol, atol; "
        "arrays as base64 .npy ({'$ndarray': ...}).",
    )


PREPARING = {
    "type": "object",
    "properties": {"status": {"type": "string", "enum": ["preparing"]}, "detail": {"type": "string"}},
}


class TrialCreate(APIView):
    @extend_schema(
        request=TrialCreateSerializer,
        responses={201: TrialSerializer, 404: OpenApiResponse(description="No such exercise")},
    )
    def post(self, request):
        """Run code on the visible cases only; poll the run until `finished`. It counts for nothing."""
        data = TrialCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exercise = exercises_visible_to(user=request.user).filter(slug=data.validated_data["exercise"]).first()
        if exercise is None:
            raise NotFound("No such exercise.")
        try:
            trial = trial_create(user=request.user, exercise=exercise, source=data.validated_data["source"])
        except TrialRateLimited as exc:
            raise Throttled(wait=exc.retry_after, detail=str(exc)) from exc
        except TrialRejected as exc:
            raise ValidationError({"source": [str(exc)]}) from exc
        return Response(TrialSerializer(trial).data, status=201)


class TrialDetail(APIView):
    @extend_schema(responses=TrialSerializer)
    def get(self, request, trial_id):
        """One of your runs."""
        trial = trial_get(user=request.user, trial_id=trial_id)
        if trial is None:
            raise NotFound("No such run.")
        return Response(TrialSerializer(trial_give_up_if_stale(trial)).data)


class VisibleCases(APIView):
    @extend_schema(
        responses={
            200: VisibleCasesSerializer,
            202: OpenApiResponse(PREPARING, description="A worker is preparing them; retry in a few seconds"),
        }
    )
    def get(self, request, slug):
        """The visible cases' inputs and the reference's outputs (public anyway); never a hidden case."""
        exercise = exercises_visible_to(user=request.user).filter(slug=slug).select_related("current_version").first()
        if exercise is None or exercise.current_version is None:
            raise NotFound("No such exercise.")
        found = visible_cases_get(exercise=exercise)
        if found is None:
            return Response(
                {"status": "preparing", "detail": "The visible cases are being prepared; retry in a few seconds."},
                status=202,
                headers={"Retry-After": "3"},
            )
        version = exercise.current_version
        body = {
            "status": "ready",
            "exercise": exercise.slug,
            "version": version.version,
            "entry_points": exercise.entry_points,
            "modules": version.config.get("modules", []),
            "cases": found.cases,
        }
        return Response(VisibleCasesSerializer(body).data)
