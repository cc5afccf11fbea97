"""LTI 1.3 endpoints: OIDC login initiation, launch, deep linking, JWKS, platform registration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from lti_tool.constants import SESSION_KEY
from lti_tool.models import Key, LtiDeployment, LtiRegistration
from lti_tool.utils import get_launch_from_request
from lti_tool.views import OIDCLoginInitView
from pylti1p3.exception import LtiException, OIDCException

from accounts.services import is_instructor
from catalog.selectors import track_list
from catalog.visibility import exercises_visible_to
from lti import services
from lti.forms import PlatformForm
from lti.models import RegistrationRequest

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refused(request, message: str, status: int = 403):
    return render(request, "lti/error.html", {"message": message}, status=status)


@method_decorator((csrf_exempt, xframe_options_exempt), name="dispatch")
class LoginView(OIDCLoginInitView):
    """Step 1 of a launch: the platform sends the browser here; we answer with a redirect to its
    OIDC auth endpoint carrying a fresh state (cookie) and nonce."""

    def get_oidc_response(self, request, registration_uuid, params):
        services.tool_key()
        try:
            return super().get_oidc_response(request, registration_uuid, params)
        except (OIDCException, LtiException) as exc:
            return _refused(request, f"The login from the platform was refused: {exc}.", status=400)


@csrf_exempt  # the platform posts the id_token here; the signed JWT and the state cookie protect it
@xframe_options_exempt
@require_POST
def launch(request):
    """Step 2: the platform posts the signed id_token; log the LMS user in and open what the link shows."""
    try:
        lti_launch = services.launch_validate(request)
        user = services.account_for_launch(lti_launch)
        login(request, user, backend=BACKEND)
        request.session[SESSION_KEY] = lti_launch.get_launch_id()
        if lti_launch.is_deep_link_launch:
            if not services.is_course_staff(lti_launch):
                return _refused(request, "Only the course's instructors can choose content for it.")
            tracks = track_list(user=user)  # what this instructor may place: catalog.visibility's rule
            return render(request, "lti/deep_link.html", {"tracks": tracks, "launch_id": lti_launch.get_launch_id()})
        if lti_launch.is_resource_launch:
            with transaction.atomic():
                placement = services.placement_for_launch(lti_launch)
                services.grade_target_for(user=user, placement=placement, lti_launch=lti_launch)
            if placement.exercise:
                return redirect("catalog:exercise_detail", slug=placement.exercise.slug)
            return redirect(reverse("catalog:track_list") + f"#track-{placement.track.slug}")
    except services.LaunchRefused as exc:
        return _refused(request, str(exc))
    return _refused(request, "This kind of LTI message is not supported by tensordojo.", status=400)


# LMSs open the content picker in an iframe, where our cookies (SameSite=Lax) are not sent:
# the form carries the launch id instead, an unguessable key to the validated launch kept in
# the cache, which proves who is choosing, as the session and CSRF token would otherwise.
@csrf_exempt
@xframe_options_exempt
@require_POST
def deep_link_choose(request):
    """Step 3 of deep linking: the instructor's choice goes back to the platform as signed content items."""
    launch_id = request.POST.get("launch_id", "")
    try:
        if not launch_id.startswith("lti1p3-launch-"):
            raise LtiException("not a launch id")
        lti_launch = get_launch_from_request(request, launch_id)
    except LtiException:
        return _refused(
            request, "The deep linking session has expired. Open the content picker again from your course."
        )
    if not (lti_launch.is_deep_link_launch and services.is_course_staff(lti_launch)):
        return _refused(request, "Only the course's instructors can choose content for it.")
    kind, _, slug = request.POST.get("content", "").partition(":")
    chooser = services.account_for_launch(lti_launch)
    exercise = exercises_visible_to(user=chooser).filter(slug=slug).first() if kind == "exercise" else None
    track = track_list(user=chooser).filter(slug=slug).first() if kind == "track" else None
    if exercise is None and track is None:
        return _refused(request, "Choose an exercise or a track.", status=400)
    resource = services.deep_link_resource(
        launch_url=request.build_absolute_uri(reverse("lti:launch")), exercise=exercise, track=track
    )
    jwt, return_url = services.deep_link_jwt(lti_launch, [resource])
    if not return_url.startswith(("https://", "http://")):
        return _refused(request, "The platform did not say where to send the chosen content.", status=400)
    return render(request, "lti/deep_link_return.html", {"jwt": jwt, "return_url": return_url})


def jwks(request):
    """Our public keys, for platforms to check what the tool signs (deep links, token requests)."""
    services.tool_key()
    return JsonResponse(Key.objects.as_jwks())


@login_required
def platforms(request):
    """Where an instructor or operator registers an LMS, and reads the URLs to give it."""
    if not is_instructor(request.user):
        raise PermissionDenied("Only instructors and operators can register an LMS.")
    form = PlatformForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # An operator's registration is live at once. An instructor's waits for an operator: a live
        # registration sends browsers to its auth URL, signs launches that log people in, and makes
        # this server fetch its keyset and token URLs, so it is not any instructor's to switch on.
        approved = request.user.is_staff
        with transaction.atomic():
            registration = LtiRegistration.objects.create(
                is_active=approved,
                name=data["name"],
                issuer=data["issuer"],
                client_id=data["client_id"],
                audience=data["audience"],
                auth_url=data["auth_url"],
                token_url=data["token_url"],
                keyset_url=data["keyset_url"],
            )
            for deployment_id in data["deployment_ids"]:
                LtiDeployment.objects.create(registration=registration, deployment_id=deployment_id, is_active=True)
            RegistrationRequest.objects.create(registration=registration, requested_by=request.user)
        if approved:
            messages.success(request, f"{registration.name} is registered. Launches from it are now accepted.")
        else:
            messages.success(
                request,
                f"{registration.name} is registered and waits for an operator of this site to approve it; "
                "until then its launches are refused. It is listed below as pending.",
            )
        return redirect("lti:platforms")
    services.tool_key()
    tool_urls = [
        ("OIDC login initiation URL", request.build_absolute_uri(reverse("lti:login"))),
        ("Launch (redirect / target link) URL", request.build_absolute_uri(reverse("lti:launch"))),
        ("Deep linking URL", request.build_absolute_uri(reverse("lti:launch"))),
        ("Public keyset (JWKS) URL", request.build_absolute_uri(reverse("lti:jwks"))),
    ]
    # Operators see every registration; an instructor only the ones they asked for (the list would
    # name other schools' LMSs), each pending until an operator switches it on.
    registrations = LtiRegistration.objects.prefetch_related("deployments").order_by("name")
    if not request.user.is_staff:
        registrations = registrations.filter(tensordojo_request__requested_by=request.user)
    return render(
        request,
        "lti/platforms.html",
        {"form": form, "tool_urls": tool_urls, "registrations": registrations, "is_staff": request.user.is_staff},
    )
