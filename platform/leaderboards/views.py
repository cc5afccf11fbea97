from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from catalog.models import Exercise
from cohorts.models import Cohort
from cohorts.selectors.access import is_member
from leaderboards.selectors import board_lines, leaderboard, rank_of


def exercise_board(request, slug: str):
    exercise = get_object_or_404(Exercise, slug=slug)
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
        },
    )


@login_required
def cohort_board(request, cohort_id: int, slug: str):
    cohort = get_object_or_404(Cohort, id=cohort_id)
    if not is_member(user=request.user, cohort=cohort):
        raise PermissionDenied("Only members of this cohort can see its leaderboard.")
    exercise = get_object_or_404(Exercise, slug=slug)
    return render(
        request,
        "leaderboards/board.html",
        {
            "exercise": exercise,
            "cohort": cohort,
            "rows": leaderboard(exercise=exercise, cohort=cohort, me=request.user),
            "my_rank": rank_of(exercise=exercise, user=request.user, cohort=cohort),
            "lines": board_lines(exercise=exercise),
        },
    )
