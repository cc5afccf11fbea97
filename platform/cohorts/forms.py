from django import forms

from catalog.models import Exercise


class CohortForm(forms.Form):
    name = forms.CharField(max_length=120)
    starts_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    exercises = forms.ModelMultipleChoiceField(
        queryset=Exercise.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to include every exercise.",
    )


class JoinForm(forms.Form):
    code = forms.CharField(max_length=12, label="Join code")


class DeadlineForm(forms.Form):
    exercise = forms.SlugField()
    deadline = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
