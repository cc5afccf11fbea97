from django import forms

from grader.exercise import SLUG


class CourseForm(forms.Form):
    slug = forms.RegexField(regex=SLUG, max_length=80, help_text="Lower-case words joined by '-', e.g. linear-algebra.")
    title = forms.CharField(max_length=200)


class NewExerciseForm(forms.Form):
    slug = forms.RegexField(
        regex=SLUG, max_length=80, label="Exercise slug", help_text="Lower-case words joined by '-'."
    )


class UploadForm(forms.Form):
    archive = forms.FileField(
        label="A zip of exercise folders", help_text="At most 20 MiB; each folder holds an exercise.toml."
    )
    publish = forms.BooleanField(required=False, label="Publish each exercise whose check passes")


class RepositoryForm(forms.Form):
    url = forms.CharField(max_length=500, label="Repository URL", help_text="https://... of a public git repository")
    branch = forms.CharField(max_length=200, initial="main")
