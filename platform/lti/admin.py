from django.contrib import admin

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


admin.site.register(GradeTarget)
