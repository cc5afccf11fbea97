from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from lti_tool.models import LtiRegistration


class PlatformForm(forms.Form):
    """What an LMS administrator tells the tool about their platform."""

    name = forms.CharField(max_length=255, help_text="For you, e.g. “University Moodle”.")
    issuer = forms.CharField(
        max_length=255, help_text="The platform's issuer (iss): an https URL, e.g. https://moodle.example.edu"
    )
    client_id = forms.CharField(max_length=255, label="Client ID", help_text="The id the platform gave this tool.")
    deployment_ids = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Deployment IDs",
        help_text="One or more, separated by commas or new lines. Launches from other deployments are refused.",
    )
    auth_url = forms.URLField(max_length=200, assume_scheme="https", label="Authentication (OIDC auth) URL")
    token_url = forms.URLField(max_length=200, assume_scheme="https", label="Access token URL")
    keyset_url = forms.URLField(max_length=200, assume_scheme="https", label="Public keyset (JWKS) URL")
    audience = forms.CharField(
        max_length=255, required=False, help_text="Only if the platform asks for one in token requests."
    )

    def clean_issuer(self) -> str:
        """LTI 1.3 (and OpenID Connect): the issuer is an https URL with a host and no query or fragment,
        compared as written with each launch's `iss` (plain http only in development)."""
        issuer = self.cleaned_data["issuer"].strip()
        parts = urlsplit(issuer)
        schemes = ("https", "http") if settings.DEVELOPMENT else ("https",)
        if parts.scheme not in schemes or not parts.netloc or parts.query or parts.fragment:
            raise forms.ValidationError(
                "The issuer must be an https URL with no query or fragment, exactly as the platform "
                "sends it, e.g. https://moodle.example.edu"
            )
        return issuer

    def clean_deployment_ids(self) -> list[str]:
        ids = [part.strip() for part in self.cleaned_data["deployment_ids"].replace("\n", ",").split(",")]
        ids = list(dict.fromkeys(i for i in ids if i))
        if not ids:
            raise forms.ValidationError("Give at least one deployment ID.")
        return ids

    def clean(self):
        data = super().clean()
        if not settings.DEVELOPMENT:  # a token or key set fetched over plain HTTP could be swapped on the way
            for field in ("auth_url", "token_url", "keyset_url"):
                if data.get(field) and not data[field].startswith("https://"):
                    self.add_error(field, "Use an https:// URL.")
        if LtiRegistration.objects.filter(issuer=data.get("issuer"), client_id=data.get("client_id")).exists():
            self.add_error("client_id", "This issuer and client ID are already registered.")
        return data
