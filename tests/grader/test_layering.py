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


def test_the_in_sandbox_harness_uses_only_the_standard_library_numpy_and_torch():
    allowed = {"numpy", "torch", "codec", "fixtures", "frames", "runner", "version"}
    stdlib = set(sys.stdlib_module_names)
    for path in (ROOT / "grader" / "harness").glob("*.py"):
        for line in path.read_text().splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                root = words[1].split(".")[0]
                assert root in stdlib or root in allowed or root == "__future__", f"{path.name}: {line}"
