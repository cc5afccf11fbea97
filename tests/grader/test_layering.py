"""grader/ is a plain Python package: it never imports Django (STYLE.md, habit 1)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_whole_grader_loads_no_django():
    modules = sorted(
        p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
        for p in (ROOT / "grader").glob("*.py")
        if p.name != "__init__.py"
    )
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print(any(k.startswith('django') for k in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


HARNESS = ROOT / "grader" / "harness"


def _top_level_imports(path: Path) -> list[tuple[str, str]]:
    found = []
    for line in path.read_text().splitlines():
        words = line.split()
        if not line.startswith((" ", "\t")) and words[:1] in (["import"], ["from"]) and len(words) > 1:
            found.append((words[1].split(".")[0], line))
    return found


def test_the_in_sandbox_harness_uses_only_the_standard_library_numpy_and_torch():
    own = {p.stem for p in HARNESS.glob("*.py")}
    stdlib = set(sys.stdlib_module_names)
    for path in HARNESS.glob("*.py"):
        for root, line in _top_level_imports(path):
            assert root in stdlib | own | {"numpy", "torch", "__future__"}, f"{path.name}: {line}"


def test_only_the_fixtures_import_numpy_when_loaded_so_the_stdlib_sandbox_can_run_the_harness():
    for path in HARNESS.glob("*.py"):
        if path.name == "fixtures.py":
            continue
        roots = {root for root, _ in _top_level_imports(path)}
        assert not roots & {"numpy", "torch", "fixtures"}, f"{path.name} imports NumPy or PyTorch when loaded"
