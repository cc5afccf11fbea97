from django.contrib import admin, messages

from submissions.models import Submission
from submissions.services import enqueue


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "user",
        "exercise",
        "status",
        "verdict",
        "score",
        "lane",
        "attempts",
        "created_at",
        "graded_at",
    )
    list_filter = ("status", "verdict", "lane", "exercise")
    search_fields = ("id", "user__username", "exercise__slug")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Submission._meta.fields] + ["previous_results"]
    actions = ["resend"]

    @admin.action(description="Re-send queued submissions to the workers")
    def resend(self, request, queryset):
        sent = sum(enqueue(s) for s in queryset.filter(status=Submission.QUEUED))
        self.message_user(request, f"{sent} re-sent.", messages.SUCCESS)
