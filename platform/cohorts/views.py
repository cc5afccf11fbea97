import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.services import is_instructor
from accounts.throttling import client_ip
from cohorts.forms import CohortForm, DeadlineForm, JoinForm
from cohorts.models import Cohort, CohortExercise, Membership
from cohorts.selectors.access import cohort_access, cohorts_for_user, is_cohort_instructor, learner_count
from cohorts.selectors.counting import cohort_links
from cohorts.selectors.dashboard import CohortDashboard, cohort_grid
from cohorts.selectors.grade_book import learner_standing, learner_submissions
from cohorts.services import (
    JoinThrottled,
    cohort_create,
    cohort_join,
    cohort_regrade,
    cohort_set_deadline,
    regrade_candidates,
    submission_regrade_one,
)
from submissions.models import Submission


@login_required
def cohort_list(request):
    return render(
        request,
        "cohorts/list.html",
        {
            "cohorts": cohorts_for_user(user=request.user),
            "join_form": JoinForm(),
            "can_create": is_instructor(request.user),
        },
    )


@login_required
def cohort_new(request):
    if not is_instructor(request.user):
        raise PermissionDenied("Only instructors can create cohorts.")
    form = CohortForm(
        request.POST or None, user=request.user, initial={"starts_at": timezone.now().strftime("%Y-%m-%dT%H:%M")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = cohort_create(
                user=request.user,
                name=data["name"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                exercises=list(data["exercises"]) or None,
                deadlines=data["deadlines"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Cohort created. Learners join with the code {cohort.join_code}.")
            return redirect("cohorts:detail", cohort_id=cohort.id)
    return render(request, "cohorts/new.html", {"form": form})


@login_required
@require_POST
def cohort_join_view(request):
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            cohort = cohort_join(user=request.user, code=form.cleaned_data["code"], client=client_ip(request))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        except JoinThrottled as exc:
            messages.error(request, str(exc))
            response = redirect("cohorts:list")
            response["Retry-After"] = str(exc.retry_after)
            return response
        else:
            messages.success(request, f"You joined {cohort.name}.")
            return redirect("cohorts:detail", cohort_id=cohort.id)
    return redirect("cohorts:list")


@login_required
def cohort_detail(request, cohort_id: int):
    cohort = get_object_or_404(Cohort, id=cohort_id)
    access = cohort_access(user=request.user, cohort=cohort)
    if not access.member and not request.user.is_staff:
        raise PermissionDenied("You are not a member of this cohort.")
    now = timezone.now()
    links = cohort_links(cohort=cohort)
    search, only = request.GET.get("q", ""), request.GET.get("exercise", "")
    dashboard = (
        CohortDashboard(cohort=cohort, links=links, search=search, only_exercise=only) if access.instructor else None
    )
    context = {
        "cohort": cohort,
        "links": links,
        "instructor": access.instructor,
        "now": now,
        "timezone_name": timezone.get_current_timezone_name(),
        "learner_count": dashboard.learner_count if dashboard else learner_count(cohort=cohort),
        "standing": learner_standing(cohort=cohort, user=request.user, now=now) if access.learner else [],
        "dashboard": dashboard,
        "regrade": dashboard.regrade if dashboard else None,
        "q": search,
        "only": only,
    }
    return render(request, "cohorts/detail.html", context)


def _instructor_cohort(request, cohort_id: int) -> Cohort:
    cohort = get_object_or_404(Cohort, id=cohort_id)
    if not is_cohort_instructor(user=request.user, cohort=cohort):
        raise PermissionDenied("Only this cohort's instructors can do that.")
    return cohort


@login_required
def cohort_export(request, cohort_id: int):
    cohort = _instructor_cohort(request, cohort_id)
    links, rows = cohort_grid(cohort=cohort)
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.id}-grades.csv"'
    writer = csv.writer(response)
    zone = timezone.get_current_timezone_name()
    titles = [_csv_safe(link.exercise.title) for link in links]
    writer.writerow(["username", "display name", *titles, "total", f"last active ({zone})"])
    for row in rows:
        writer.writerow(
            [_csv_safe(row.username), _csv_safe(row.name)]
            + ["" if c.score is None else f"{c.score:g}" for c in row.cells]
            + [f"{row.total:g}", _spreadsheet_time(row.last_activity)]
        )
    return response


def _spreadsheet_time(when) -> str:
    """A time every spreadsheet reads as one: local, to the second, no offset (the header names the zone)."""
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S") if when else ""


def _csv_safe(text: str) -> str:
    """Neutralise spreadsheet formulas in learner-chosen names (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_POST
def cohort_deadline(request, cohort_id: int):
    cohort = _instructor_cohort(request, cohort_id)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        errors = [message for messages_ in form.errors.values() for message in messages_]
        messages.error(request, f"Deadline not changed. {' '.join(errors)}")
        return redirect("cohorts:detail", cohort_id=cohort.id)
    link = get_object_or_404(
        CohortExercise.objects.select_related("exercise"), cohort=cohort, exercise__slug=form.cleaned_data["exercise"]
    )
    if form.cleaned_data["action"] == DeadlineForm.REMOVE:
        cohort_set_deadline(user=request.user, cohort=cohort, exercise=link.exercise, deadline=None)
        messages.success(request, f"Deadline for {link.exercise.title} removed.")
    else:
        link = cohort_set_deadline(
            user=request.user, cohort=cohort, exercise=link.exercise, deadline=form.cleaned_data["deadline"]
        )
        when = timezone.localtime(link.deadline).strftime("%Y-%m-%d %H:%M")
        messages.success(
            request, f"Deadline for {link.exercise.title} set to {when} {timezone.get_current_timezone_name()}."
        )
    return redirect("cohorts:detail", cohort_id=cohort.id)


@login_required
def cohort_regrade_view(request, cohort_id: int, slug: str):
    """GET: say what a re-grade would do and ask to confirm; POST: do it."""
    cohort = _instructor_cohort(request, cohort_id)
    link = get_object_or_404(CohortExercise.objects.select_related("exercise"), cohort=cohort, exercise__slug=slug)
    if request.method == "POST":
        count = cohort_regrade(user=request.user, cohort=cohort, exercise=link.exercise)
        messages.success(
            request, f"{count} submission{pluralize(count)} queued for re-grading (low priority, after live work)."
        )
        return redirect("cohorts:detail", cohort_id=cohort.id)
    candidates = regrade_candidates(cohort=cohort, exercise=link.exercise)
    return render(
        request,
        "cohorts/regrade_confirm.html",
        {
            "cohort": cohort,
            "exercise": link.exercise,
            "count": candidates.count(),
            "learners": candidates.values("user_id").distinct().count(),
        },
    )


@login_required
def cohort_learner(request, cohort_id: int, user_id: int):
    cohort = _instructor_cohort(request, cohort_id)
    membership = get_object_or_404(
        Membership.objects.select_related("user__profile"), cohort=cohort, user_id=user_id, role=Membership.LEARNER
    )
    return render(
        request,
        "cohorts/learner.html",
        {
            "cohort": cohort,
            "member": membership,
            "submissions": learner_submissions(cohort=cohort, user_id=user_id)[:200],
        },
    )


@login_required
@require_POST
def submission_regrade_view(request, submission_id):
    """Re-grade one submission from its page, then back to it."""
    submission = get_object_or_404(Submission.objects.select_related("exercise"), id=submission_id)
    count = submission_regrade_one(user=request.user, submission=submission)
    if count:
        messages.success(request, "The submission is queued for re-grading (low priority, after live work).")
    else:
        messages.info(request, "That submission is already waiting to be graded.")
    return redirect("submissions:detail", submission_id=submission.id)
