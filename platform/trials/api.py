"""REST endpoints for the CLI: trial runs, and the visible cases for offline runs."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import ERROR
from catalog.models import Exercise
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


def trial_json(trial) -> dict:
    return {
        "id": str(trial.id),
        "exercise": trial.exercise.slug,
        "status": trial.status,
        "finished": trial.is_finished,
        "counts": False,  # a trial is never an attempt
        "result": trial.result,
        "error_message": trial.error_message,
        "created_at": trial.created_at.isoformat(),
    }


class TrialCreate(APIView):
    @extend_schema(
        request=TrialCreateSerializer,
        responses={
            201: OpenApiResponse(description="The run, queued"),
            404: OpenApiResponse(ERROR, "No such exercise"),
        },
    )
    def post(self, request):
        data = TrialCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exercise = Exercise.objects.filter(slug=data.validated_data["exercise"], is_active=True).first()
        if exercise is None:
            raise NotFound("No such exercise.")
        try:
            trial = trial_create(user=request.user, exercise=exercise, source=data.validated_data["source"])
        except TrialRateLimited as exc:
            raise Throttled(wait=exc.retry_after, detail=str(exc)) from exc
        except TrialRejected as exc:
            raise ValidationError({"source": [str(exc)]}) from exc
        return Response(trial_json(trial), status=201)


class TrialDetail(APIView):
    def get(self, request, trial_id):
        trial = trial_get(user=request.user, trial_id=trial_id)
        if trial is None:
            raise NotFound("No such run.")
        return Response(trial_json(trial_give_up_if_stale(trial)))


class VisibleCases(APIView):
    """The visible cases' inputs and the reference's outputs (public anyway); never a hidden case."""

    @extend_schema(
        responses={
            200: OpenApiResponse(description="The visible cases"),
            202: OpenApiResponse(description="Being prepared: retry after Retry-After seconds"),
        }
    )
    def get(self, request, slug):
        exercise = Exercise.objects.filter(slug=slug, is_active=True).select_related("current_version").first()
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
        return Response(
            {
                "status": "ready",
                "exercise": exercise.slug,
                "version": version.version,
                "entry_points": exercise.entry_points,
                "modules": version.config.get("modules", []),
                "cases": found.cases,
            }
        )
