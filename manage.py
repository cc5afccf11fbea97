#!/usr/bin/env python3
"""Django's command-line utility for tensordojo.

platform/ is a source root, not a package (a package named `platform` would
shadow Python's standard library module), so it is put on sys.path here.

Typed as ``./manage.py ...`` in a fresh shell (Debian has no ``python``), it runs
itself again with the project's ``.venv`` interpreter when there is one and it is
not already that interpreter, so no one has to activate anything first.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"


def _in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


if (VENV / "bin" / "python").exists() and not _in_project_venv():
    os.execv(str(VENV / "bin" / "python"), [str(VENV / "bin" / "python"), str(ROOT / "manage.py"), *sys.argv[1:]])

sys.path.insert(0, str(ROOT / "platform"))
sys.path.insert(1, str(ROOT))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
