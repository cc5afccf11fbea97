from django.contrib import admin

from leaderboards.models import BestResult


@admin.register(BestResult)
class BestResultAdmin(admin.ModelAdmin):
    list_display = ("user", "exercise", "cohort", "score", "time_value", "reached_at", "attempts")
    list_filter = ("exercise", "cohort")
    search_fields = ("user__username",)
    readonly_fields = [f.name for f in BestResult._meta.fields]
