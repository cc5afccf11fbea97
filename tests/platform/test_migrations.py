"""The migrations describe the models: no model change is left without its migration.

`make check` builds its test databases from the models (--nomigrations, seconds faster per
worker), so this test is what keeps it honest there; `make test` builds every test database
by applying the migrations, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration(settings):
    settings.MIGRATION_MODULES = {}  # the apps' own migrations, even under --nomigrations

    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as missing:
        pytest.fail(f"a model change has no migration (exit {missing.code}): run manage.py makemigrations")
