"""`manage.py demo`: create the demo instructor, learner and cohort (idempotent) and print them."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Profile
from accounts.services import user_create
from cohorts.models import Cohort
from cohorts.services import cohort_create, cohort_join

DEMO = [("instructor", "instructor-demo-pass", True), ("learner", "learner-demo-pass", False)]
COHORT = "Demo cohort"


class Command(BaseCommand):
    help = "Create demo accounts and a demo cohort, and print their credentials."

    def handle(self, *args, **options):
        User = get_user_model()
        users = {}
        for username, password, instructor in DEMO:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username, email=f"{username}@example.com", password=password, is_instructor=instructor
                )
            Profile.objects.get_or_create(user=user, defaults={"is_instructor": instructor})
            users[username] = user
        cohort = Cohort.objects.filter(name=COHORT, created_by=users["instructor"]).first()
        if cohort is None:
            cohort = cohort_create(user=users["instructor"], name=COHORT, starts_at=timezone.now())
        cohort_join(user=users["learner"], code=cohort.join_code)  # idempotent; recounts earlier work
        self.stdout.write("Demo accounts:")
        for username, password, instructor in DEMO:
            self.stdout.write(
                f"  {'instructor' if instructor else 'learner':10}  user {username:10}  password {password}"
            )
        self.stdout.write(f"  cohort      {cohort.name!r}, join code {cohort.join_code}")
