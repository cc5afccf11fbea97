from django.contrib import admin

from accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "display_name", "is_instructor")
    list_filter = ("is_instructor",)
    search_fields = ("user__username", "display_name", "user__email")
    list_editable = ("is_instructor",)
