"""`make up` writes .env with every secret the platform needs generated (scripts/env-file.sh)."""

from __future__ import annotations

import re
import stat
import subprocess

from tests.conftest import ROOT

SECRETS = ("DJANGO_SECRET_KEY", "METRICS_TOKEN", "GRADER_CASE_POOL_SECRET")


def write(path) -> None:
    subprocess.run([ROOT / "scripts" / "env-file.sh", str(path)], check=True, capture_output=True)


def values(path) -> dict[str, str]:
    return dict(re.findall(r"(?m)^([A-Z_]+)=(.*)$", path.read_text()))


def test_a_new_env_file_holds_a_generated_value_for_every_secret_readable_by_its_owner_only(tmp_path):
    env = tmp_path / ".env"
    write(env)
    found = values(env)
    assert found["TENSORDOJO_ENV"] == "development"
    for name in SECRETS:
        assert len(found[name]) >= 40, name
    assert len({found[name] for name in SECRETS}) == len(SECRETS)  # three different secrets
    assert stat.S_IMODE(env.stat().st_mode) == 0o600


def test_an_older_env_file_keeps_its_values_and_gains_the_missing_secrets(tmp_path):
    env = tmp_path / ".env"
    env.write_text("TENSORDOJO_ENV=development\nDJANGO_SECRET_KEY=kept-as-it-was\n")
    write(env)
    found = values(env)
    assert found["DJANGO_SECRET_KEY"] == "kept-as-it-was"
    assert found["METRICS_TOKEN"] and found["GRADER_CASE_POOL_SECRET"]
    before = env.read_text()
    write(env)
    assert env.read_text() == before  # a second run changes nothing


def test_compose_requires_both_secrets_as_it_requires_the_django_key():
    compose = (ROOT / "docker-compose.yml").read_text()
    for name in SECRETS:
        assert re.search(rf"{name}: \$\{{{name}:\?", compose), name
