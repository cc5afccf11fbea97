from django.contrib import admin, messages

from submissions.models import Grading, Status, Submission
from submissions.services import enqueue


class GradingInline(admin.TabularInline):
    """Every finished grading of the submission, journey timestamps included (read only)."""

    model = Grading
    extra = 0
    can_delete = False
    fields = ("finished_at", "lane", "status", "verdict", "score", "attempt", "worker", "queued_at", "started_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


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
    readonly_fields = [f.name for f in Submission._meta.fields]
    inlines = [GradingInline]
    actions = ["resend"]

    @admin.action(description="Re-send queued submissions to the workers")
    def resend(self, request, queryset):
        sent = sum(enqueue(s) for s in queryset.filter(status=Status.QUEUED))
        self.message_user(request, f"{sent} re-sent.", messages.SUCCESS)
