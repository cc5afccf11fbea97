from django import forms
from django.utils import timezone

from catalog.models import Exercise


class ExerciseChoiceField(forms.ModelMultipleChoiceField):
    """Exercises by title (the slug is for URLs, not people)."""

    def label_from_instance(self, exercise: Exercise) -> str:
        return exercise.title


class CohortForm(forms.Form):
    name = forms.CharField(max_length=120)
    starts_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    exercises = ExerciseChoiceField(
        queryset=Exercise.objects.filter(is_active=True).select_related("track").order_by("track__order", "order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to include every exercise.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:  # public courses' exercises and those of the instructor's own courses
            from courses.selectors import exercises_usable_by

            self.fields["exercises"].queryset = (
                exercises_usable_by(user=user).select_related("track").order_by("track__order", "order")
            )
        self.zone = zone = timezone.get_current_timezone_name()
        self.fields["starts_at"].help_text = f"Times are in {zone}."
        self.fields["ends_at"].help_text = f"Optional; {zone}. Exercises without their own deadline close then."
        # One optional deadline per exercise, beside its checkbox (the template lays them out as a table).
        for exercise in self.fields["exercises"].queryset:
            self.fields[deadline_field(exercise)] = forms.DateTimeField(
                required=False,
                label=f"Deadline for {exercise.title}",
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
            )

    def exercise_rows(self) -> list[tuple]:
        """(exercise, its checkbox ticked, its deadline field) for each exercise, in track order."""
        ticked = {str(value) for value in (self["exercises"].value() or [])}
        return [
            (exercise, str(exercise.pk) in ticked, self[deadline_field(exercise)])
            for exercise in self.fields["exercises"].queryset
        ]

    def clean(self):
        data = super().clean()
        chosen = data.get("exercises")
        deadlines = {}
        for exercise in self.fields["exercises"].queryset:
            when = data.get(deadline_field(exercise))
            if when is None:
                continue
            if chosen and exercise not in chosen:
                self.add_error(
                    deadline_field(exercise), f"{exercise.title} is not in the cohort: tick it, or clear its deadline."
                )
            deadlines[exercise.pk] = when
        data["deadlines"] = deadlines
        return data


def deadline_field(exercise: Exercise) -> str:
    return f"deadline-{exercise.pk}"


class JoinForm(forms.Form):
    code = forms.CharField(max_length=12, label="Join code")


class DeadlineForm(forms.Form):
    """Set an exercise's deadline in a cohort, or remove it (an explicit action, never an empty field)."""

    SET, REMOVE = "set", "remove"

    exercise = forms.SlugField()
    deadline = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    action = forms.ChoiceField(choices=[(SET, "Set deadline"), (REMOVE, "Remove deadline")], required=False)

    def clean(self):
        data = super().clean()
        data["action"] = data.get("action") or self.SET
        if data["action"] == self.SET and not data.get("deadline") and "deadline" not in self.errors:
            self.add_error("deadline", "Enter a date and time for the deadline, or use “Remove deadline” to have none.")
        return data
