from django.contrib import admin

from trials.models import TrialRun, VisibleCaseSet


@admin.register(TrialRun)
class TrialRunAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "exercise", "status", "created_at", "finished_at")
    list_filter = ("status", "exercise")
    readonly_fields = [f.name for f in TrialRun._meta.fields]


@admin.register(VisibleCaseSet)
class VisibleCaseSetAdmin(admin.ModelAdmin):
    list_display = ("exercise_version", "created_at")
    readonly_fields = ("exercise_version", "cases", "created_at")
