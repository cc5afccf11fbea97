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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["starts_at"].help_text = f"Times are in {zone}."
        self.fields["ends_at"].help_text = f"Optional; {zone}. Exercises without their own deadline close then."


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
