from django import forms
from django.contrib import admin

from accounts.models import Profile
from accounts.services import display_name_clean


class ProfileAdminForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["user", "display_name", "is_instructor"]

    def clean_display_name(self) -> str:
        """The same rules as the profile page: staff cannot hand out a pseudonym look-alike or a taken name."""
        user = self.instance.user if self.instance.pk else None
        return display_name_clean(self.cleaned_data.get("display_name", ""), user=user)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = ProfileAdminForm
    list_display = ("user", "display_name", "is_instructor")
    list_filter = ("is_instructor",)
    search_fields = ("user__username", "display_name", "user__email")
    list_editable = ("is_instructor",)
