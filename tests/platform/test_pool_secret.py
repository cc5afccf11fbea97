"""Production refuses to start without the pool secret: without it every hidden case is computable."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

BASE = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TENSORDOJO_ENV": "production", "DJANGO_SECRET_KEY": "k" * 50}
SETTINGS = "import django; django.setup(); from django.conf import settings; print(settings.GRADER_CASE_POOL_SECRET)"


def start(tmp_path, **extra: str) -> subprocess.CompletedProcess:
    env = {**BASE, "HOME": str(tmp_path), "TENSORDOJO_VAR_DIR": str(tmp_path), **extra}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["PYTHONPATH"] = f"{ROOT / 'platform'}:{ROOT}"
    return subprocess.run(
        [sys.executable, "-c", SETTINGS], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_without_a_pool_secret_refuses_to_start_and_says_why(tmp_path):
    done = start(tmp_path)

    assert done.returncode != 0
    assert "GRADER_CASE_POOL_SECRET must be set in production" in done.stderr


def test_production_with_a_pool_secret_starts(tmp_path):
    done = start(tmp_path, GRADER_CASE_POOL_SECRET="a-secret-of-the-deployment")

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "a-secret-of-the-deployment"
