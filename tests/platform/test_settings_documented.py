"""Every environment variable the platform or its scripts read is in the settings tables of docs/operations.md.

Python: calls of settings.py's env helpers and os.environ/os.getenv reads, found by an AST
walk over platform/ and manage.py (grader/ is configured by the platform with explicit
arguments and documents its own few knobs). Shell: `${NAME:-default}` and `${NAME:?}` in
scripts/, the app image's entrypoint and the compose files.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

OPERATIONS = (ROOT / "docs" / "operations.md").read_text()
ENV_HELPERS = {"env", "env_bool", "env_list"}
SHELL_KNOB = re.compile(r"\$\{([A-Z][A-Z0-9_]*):[-?]")
# Read, but not settings of ours: Django's own, and flags a script sets for itself.
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE", "OWN_REDIS", "PATH"}


def _is_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def python_reads(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        key = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            if (
                (isinstance(func, ast.Name) and func.id in ENV_HELPERS)
                or (isinstance(func, ast.Attribute) and func.attr == "get" and _is_environ(func.value))
                or (isinstance(func, ast.Attribute) and func.attr == "getenv")
            ):
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and _is_environ(node.value) and isinstance(node.ctx, ast.Load):
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


def variables_read() -> set[str]:
    names = set()
    for path in [ROOT / "manage.py", *(ROOT / "platform").rglob("*.py")]:
        if "migrations" not in path.parts:
            names |= python_reads(path)
    shell = [
        *(ROOT / "scripts").glob("*.sh"),
        ROOT / "docker" / "app" / "entrypoint.sh",
        *ROOT.glob("docker-compose*.yml"),
    ]
    for path in shell:
        if path.is_file():
            names |= set(SHELL_KNOB.findall(path.read_text()))
    return names - NOT_SETTINGS


def documented() -> set[str]:
    tables = OPERATIONS[OPERATIONS.index("## Settings") :]
    end = tables.find("\n## ", 1)
    tables = tables if end < 0 else tables[:end]
    return set(re.findall(r"`([A-Z][A-Z0-9_]*)`", tables))


def test_the_walk_finds_reads_of_every_kind(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        'import os\nA = env("ONE", "x")\nB = os.environ.get("TWO")\nC = os.environ["THREE"]\n'
        'D = env_bool(\n    "FOUR", False\n)\nos.environ["NOT_A_READ"] = "1"\n'
    )
    assert python_reads(probe) == {"ONE", "TWO", "THREE", "FOUR"}


def test_the_settings_module_is_seen():
    assert {"DJANGO_SECRET_KEY", "TENSORDOJO_VAR_DIR", "GRADER_BACKEND"} <= variables_read()


def test_every_variable_read_is_documented_in_the_settings_tables():
    missing = sorted(variables_read() - documented())
    assert missing == [], f"add these to the settings tables of docs/operations.md: {missing}"
