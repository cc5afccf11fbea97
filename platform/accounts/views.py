from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.forms import ProfileForm, SignupForm
from accounts.services import profile_get, profile_update, user_create


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to tensordojo! Pick an exercise to start.")
        return redirect("catalog:track_list")
    return render(request, "accounts/signup.html", {"form": form})


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
