from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from rest_framework import exceptions
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings

from accounts.forms import ProfileForm, SignupForm
from accounts.services import profile_get, profile_update, user_create
from accounts.throttling import client_ip, login_retry_after, refused_wait, throttled_message
from ops.rate_limits import window_wait


def _address_wait(request, name: str, rate: str) -> int | None:
    return window_wait(name=name, rate=rate, user_id=client_ip(request) or "unknown")


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _address_wait(request, "signup", settings.SIGNUP_RATE_LIMIT)
        if wait is not None:
            form.add_error(None, f"Too many new accounts from your address. Try again in {wait // 60 + 1} minutes.")
            response = render(request, "accounts/signup.html", {"form": form}, status=429)
            response["Retry-After"] = str(wait)
            return response
        user = user_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to tensordojo! Pick an exercise to start.")
        return redirect("catalog:track_list")
    return render(request, "accounts/signup.html", {"form": form})


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset page; past PASSWORD_RESET_RATE_LIMIT per address it sends no mail (429)."""

    def form_valid(self, form):
        wait = _address_wait(self.request, "password-reset", settings.PASSWORD_RESET_RATE_LIMIT)
        if wait is None:
            return super().form_valid(form)
        form.add_error(None, f"Too many reset requests from your address. Try again in {wait // 60 + 1} minutes.")
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(wait)
        return response


class ThrottledLoginView(LoginView):
    """Django's log-in page; a throttled attempt (accounts.throttling) is a 429 with Retry-After, unhashed."""

    template_name = "accounts/login.html"

    def post(self, request, *args, **kwargs):
        username = str(request.POST.get("username", ""))
        retry_after = login_retry_after(username=username, ip=client_ip(request))
        if retry_after is None:
            response = super().post(request, *args, **kwargs)
            retry_after = refused_wait(request)  # the backend refused it unchecked (a race, or busy)
            if retry_after is None:
                return response
        # The password is not even checked; the form comes back empty but for the username.
        form = AuthenticationForm(request, initial={"username": username[:150]})
        response = self.render_to_response(
            self.get_context_data(form=form, throttled=throttled_message(retry_after)), status=429
        )
        response["Retry-After"] = str(retry_after)
        return response


class ThrottledTokenView(ObtainAuthToken):
    """`POST /api/token` with the same failure counting as the log-in page (429 with Retry-After)."""

    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # ObtainAuthToken names DRF's unbounded JSON parser

    def post(self, request, *args, **kwargs):
        username = request.data.get("username", "") if hasattr(request.data, "get") else ""
        username = username if isinstance(username, str) else ""
        retry_after = login_retry_after(username=username, ip=client_ip(request))
        if retry_after is None:
            try:
                return super().post(request, *args, **kwargs)  # the password check counts (accounts.backends)
            except exceptions.ValidationError:
                retry_after = refused_wait(request)  # the backend refused it unchecked (a race, or busy)
                if retry_after is None:
                    raise
        raise exceptions.Throttled(wait=retry_after, detail=throttled_message(retry_after))


@login_required
def profile(request):
    current = profile_get(user=request.user)
    form = ProfileForm(request.POST or None, initial={"display_name": current.display_name})
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=request.user, display_name=form.cleaned_data["display_name"])
        except ValidationError as exc:
            form.add_error("display_name", exc)
        else:
            messages.success(request, "Saved.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "profile": current})
