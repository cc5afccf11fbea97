from django.contrib import admin, messages

from lti.models import GradeTarget, LtiAccount, Placement, ScoreSend


@admin.register(LtiAccount)
class LtiAccountAdmin(admin.ModelAdmin):
    list_display = ("lti_user", "user", "created_at")
    raw_id_fields = ("lti_user", "user")


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ("resource_link", "exercise", "track", "lineitem_url", "can_publish_scores", "updated_at")


@admin.register(ScoreSend)
class ScoreSendAdmin(admin.ModelAdmin):
    """Every score sent back to an LMS and what the LMS answered."""

    list_display = ("sent_at", "target", "score_given", "score_maximum", "ok", "error")
    list_filter = ("ok",)
    readonly_fields = [f.name for f in ScoreSend._meta.fields]
    actions = ["send_again"]

    @admin.action(description="Send the learner's current score again")
    def send_again(self, request, queryset):
        from lti.services import score_send

        sends = [score_send(s.target, s.submission) for s in queryset.select_related("target")]
        ok = sum(1 for send in sends if send is not None and send.ok)
        level = messages.SUCCESS if ok == len(sends) else messages.WARNING
        self.message_user(request, f"{ok} of {len(sends)} sent.", level)


admin.site.register(GradeTarget)
