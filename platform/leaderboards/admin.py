from django.contrib import admin

from leaderboards.models import BestResult, LineTime


@admin.register(BestResult)
class BestResultAdmin(admin.ModelAdmin):
    list_display = ("user", "exercise", "cohort", "score", "time_value", "reached_at", "attempts")
    list_filter = ("exercise", "cohort")
    search_fields = ("user__username",)
    readonly_fields = [f.name for f in BestResult._meta.fields]


@admin.register(LineTime)
class LineTimeAdmin(admin.ModelAdmin):
    """Read-only: a line's time comes from `manage.py exercises lines`, never from a hand edit."""

    list_display = ("exercise", "name", "label", "seconds", "device", "measured_by", "measured_at")
    list_filter = ("exercise", "measured_by")
    readonly_fields = [f.name for f in LineTime._meta.fields]
