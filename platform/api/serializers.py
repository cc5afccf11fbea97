from rest_framework import serializers

from catalog.models import Exercise
from submissions.models import Submission
from submissions.shown import result_shown


class ShownResultField(serializers.JSONField):
    """A stored results.json as a learner may see it (submissions.shown: no case pool, no seed)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return super().to_representation(result_shown(value) if value is not None else None)


class ExerciseSerializer(serializers.ModelSerializer):
    track = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    version = serializers.CharField(source="current_version.version", read_only=True)

    class Meta:
        model = Exercise
        fields = [
            "slug",
            "title",
            "track",
            "order",
            "difficulty",
            "kind",
            "summary",
            "points",
            "gpu",
            "leaderboard_metric",
            "entry_points",
            "version",
        ]


class ExerciseDetailSerializer(ExerciseSerializer):
    statement = serializers.CharField(source="current_version.statement_md", read_only=True)
    starter = serializers.CharField(source="current_version.starter", read_only=True)
    rules = serializers.JSONField(source="current_version.config", read_only=True)

    class Meta(ExerciseSerializer.Meta):
        fields = ExerciseSerializer.Meta.fields + ["statement", "starter", "rules"]


class SubmissionCreateSerializer(serializers.Serializer):
    exercise = serializers.SlugField()
    source = serializers.CharField(trim_whitespace=False, allow_blank=False)


class SubmissionSerializer(serializers.ModelSerializer):
    exercise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    result = ShownResultField(allow_null=True, help_text="results.json (null until graded)")

    class Meta:
        model = Submission
        fields = [
            "id",
            "exercise",
            "status",
            "verdict",
            "score",
            "max_score",
            "time_value",
            "counts",
            "error_message",
            "created_at",
            "graded_at",
            "result",
        ]


class LeaderboardRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.FloatField()
    time_value = serializers.FloatField(allow_null=True)
    reached_at = serializers.DateTimeField()
    is_me = serializers.BooleanField()
