"""Every built-in exercise's committed proof is of its current content, so that `make up` publishes it at once.

`exercises sync` publishes a built-in version only with a proof of that very content hash
(exercises/.proofs/<slug>.json, written by `exercises check --record`); any other waits for
its check in the sandbox on the `authoring` queue (docs/authoring.md, "The built-in track").
A change committed without its proof would leave a fresh machine without that exercise
until a worker proved it again, so this fails, naming the exercises and the command.
"""

from __future__ import annotations

from grader.authoring import read_proof
from grader.exercise import exercise_folders, load_exercise
from tests.conftest import ROOT

EXERCISES = ROOT / "exercises"


def test_every_builtin_exercise_has_a_proof_of_its_current_version():
    unproven = []
    for path in exercise_folders(EXERCISES):
        folder = load_exercise(path)
        proof = read_proof(EXERCISES, folder.slug) or {}
        if proof.get("version") != folder.version:
            found = f"a proof of {proof['version']}" if proof.get("version") else "no proof"
            unproven.append(f"{folder.slug} (version {folder.version}: {found})")
    assert not unproven, (
        "run `manage.py exercises check --record SLUG...` and commit exercises/.proofs/ for: " + ", ".join(unproven)
    )
