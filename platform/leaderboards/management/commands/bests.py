"""`manage.py bests rebuild`: recompute every leaderboard row from the submissions.

Rows are kept current at grading time; this is for data graded before the counting
rule (or the ranking rule's "submitted first") changed, and for repairs.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cohorts.models import Cohort
from cohorts.services import cohort_recount
from leaderboards.models import BestResult
from leaderboards.services import best_result_refresh
from submissions.models import Submission


class Command(BaseCommand):
    help = "Recompute the global and cohort best results (leaderboards, grade book) from the submissions."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args, action: str, **options):
        if action != "rebuild":  # argparse already refuses others; kept for clarity
            raise CommandError(f"unknown action {action!r}")
        pairs = set(Submission.objects.filter(status=Submission.GRADED).values_list("user_id", "exercise_id"))
        pairs |= set(BestResult.objects.filter(cohort__isnull=True).values_list("user_id", "exercise_id"))
        for user_id, exercise_id in sorted(pairs):
            best_result_refresh(user_id=user_id, exercise_id=exercise_id, cohort_id=None)
        cohorts = 0
        for cohort in Cohort.objects.all().iterator():
            with transaction.atomic():
                cohort_recount(cohort=cohort)
            cohorts += 1
        self.stdout.write(f"rebuilt {len(pairs)} global rows and {cohorts} cohorts")
