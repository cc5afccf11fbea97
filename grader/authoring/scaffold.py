"""`manage.py exercises new SLUG`: a new exercise folder, copied from grader/templates/new-exercise/.

The templates are real files (an exercise.toml, a README, Python that runs), each with TODO
markers that `exercises check` lists until they are replaced. ``{slug}`` in a template
becomes the new exercise's slug.
"""

from __future__ import annotations

from pathlib import Path

from grader.exercise import SLUG

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "new-exercise"
SLUG_MARK = "{slug}"


def template_files() -> dict[str, Path]:
    """Every template file, by its path in the new folder."""
    return {
        path.relative_to(TEMPLATES).as_posix(): path
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def scaffold(root: Path, slug: str) -> Path:
    """Create exercises/<slug>/ from the templates; `check` explains what is left to write."""
    if not SLUG.match(slug):
        raise ValueError(f"{slug!r} is not a valid slug: use lower-case words joined by '-'")
    folder = Path(root) / slug
    if folder.exists():
        raise FileExistsError(f"{folder} already exists")
    for name, source in template_files().items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8").replace(SLUG_MARK, slug), encoding="utf-8")
    return folder
