from django.contrib import admin

from catalog.models import Exercise, ExerciseVersion, Track


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "order")


class VersionInline(admin.TabularInline):
    model = ExerciseVersion
    fields = ("version", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "track", "order", "kind", "difficulty", "gpu", "is_active")
    list_filter = ("track", "kind", "difficulty", "gpu", "is_active")
    search_fields = ("slug", "title")
    readonly_fields = ("current_version",)
    inlines = [VersionInline]


@admin.register(ExerciseVersion)
class ExerciseVersionAdmin(admin.ModelAdmin):
    list_display = ("exercise", "version", "created_at")
    list_filter = ("exercise",)
    readonly_fields = ("exercise", "version", "statement_md", "starter", "config", "created_at")
    exclude = ("statement_html",)
