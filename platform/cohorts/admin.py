from django.contrib import admin

from cohorts.models import Cohort, CohortExercise, Membership
from cohorts.services import cohort_recount


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


class CohortExerciseInline(admin.TabularInline):
    model = CohortExercise
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "join_code", "starts_at", "ends_at", "created_by")
    search_fields = ("name", "join_code")
    inlines = [MembershipInline, CohortExerciseInline]

    def save_related(self, request, form, formsets, change):
        """Edits here (members, exercises, deadlines, the end date) change what counts: recount after them."""
        cohort = form.instance
        users = set(Membership.objects.filter(cohort=cohort).values_list("user_id", flat=True))
        exercises = set(CohortExercise.objects.filter(cohort=cohort).values_list("exercise_id", flat=True))
        super().save_related(request, form, formsets, change)
        users |= set(Membership.objects.filter(cohort=cohort).values_list("user_id", flat=True))
        exercises |= set(CohortExercise.objects.filter(cohort=cohort).values_list("exercise_id", flat=True))
        cohort_recount(cohort=cohort, user_ids=sorted(users), exercise_ids=sorted(exercises))
