from django.contrib import admin

from catalog.models import Exercise, ExerciseVersion, HintUnlock, LessonSection, Track


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
    readonly_fields = ("exercise", "version", "statement_md", "starter", "solution", "config", "created_at")
    exclude = ("statement_html", "hints_html", "explanation_html")


@admin.register(HintUnlock)
class HintUnlockAdmin(admin.ModelAdmin):
    list_display = ("user", "exercise", "index", "unlocked_at")
    list_filter = ("exercise",)
    readonly_fields = ("user", "exercise", "index", "unlocked_at")


@admin.register(LessonSection)
class LessonSectionAdmin(admin.ModelAdmin):
    list_display = ("order", "anchor", "title")
    readonly_fields = ("anchor", "title", "order", "html", "exercises")
