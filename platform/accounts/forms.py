from django import forms
from django.contrib.auth.forms import UserCreationForm


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="Used only to reset your password.")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        max_length=40,
        required=False,
        help_text="The pseudonym public leaderboards show. Leave empty to appear as learner-<number>.",
    )
