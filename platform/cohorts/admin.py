from django.contrib import admin

from cohorts.models import Cohort, CohortExercise, Membership


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
