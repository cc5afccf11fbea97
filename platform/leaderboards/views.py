from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.services import profile_get, profile_update
from catalog.visibility import exercises_visible_to
from cohorts.models import Cohort
from cohorts.selectors.access import is_member
from leaderboards.charts import time_spread
from leaderboards.selectors import board_lines, leaderboard, rank_of

PSEUDONYM_ASKED = "leaderboards:pseudonym-asked"  # session flag: the learner chose to keep learner-<id>


def _pseudonym_offer(request) -> dict | None:
    """What the board offers a learner who has not chosen a public name yet (issue 23 item 6)."""
    if not request.user.is_authenticated or request.session.get(PSEUDONYM_ASKED):
        return None
    profile = profile_get(user=request.user)
    if profile.display_name:
        return None
    return {"current": profile.public_name, "error": request.session.pop("leaderboards:pseudonym-error", "")}


def exercise_board(request, slug: str):
    exercise = get_object_or_404(exercises_visible_to(user=request.user), slug=slug)
    me = request.user if request.user.is_authenticated else None
    return render(
        request,
        "leaderboards/board.html",
        {
            "exercise": exercise,
            "rows": leaderboard(exercise=exercise, me=me),
            "my_rank": rank_of(exercise=exercise, user=me) if me else None,
            "cohort": None,
            "lines": board_lines(exercise=exercise),
            "times": time_spread(exercise=exercise, user=me) if exercise.is_performance else None,
            "pseudonym": _pseudonym_offer(request),
        },
    )


@login_required
def cohort_board(request, cohort_id: int, slug: str):
    cohort = get_object_or_404(Cohort, id=cohort_id)
    if not is_member(user=request.user, cohort=cohort):
        raise PermissionDenied("Only members of this cohort can see its leaderboard.")
    exercise = get_object_or_404(exercises_visible_to(user=request.user), slug=slug)
    return render(
        request,
        "leaderboards/board.html",
        {
            "exercise": exercise,
            "cohort": cohort,
            "rows": leaderboard(exercise=exercise, cohort=cohort, me=request.user),
            "my_rank": rank_of(exercise=exercise, user=request.user, cohort=cohort),
            "lines": board_lines(exercise=exercise),
            "times": time_spread(exercise=exercise, cohort=cohort, user=request.user)
            if exercise.is_performance
            else None,
            "pseudonym": _pseudonym_offer(request),
        },
    )


@login_required
@require_POST
def pseudonym(request):
    """Choose a public name from the board (or keep learner-<id>), then back to that board."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    if request.POST.get("keep"):
        request.session[PSEUDONYM_ASKED] = True
        return redirect(back)
    try:
        profile = profile_update(user=request.user, display_name=request.POST.get("display_name", ""))
    except ValidationError as exc:
        request.session["leaderboards:pseudonym-error"] = " ".join(exc.messages)
        return redirect(back)
    request.session[PSEUDONYM_ASKED] = True
    messages.success(request, f"You appear on leaderboards as {profile.public_name}.")
    return redirect(back)
