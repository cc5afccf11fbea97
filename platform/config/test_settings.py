"""The test override: development defaults plus fast password hashing."""

import os
import re

os.environ.setdefault("TENSORDOJO_ENV", "test")
# `make test` runs the suite in two pytest-xdist workers (gw0, gw1): each gets a Redis database
# of its own on the one private server, so queues and keys of one never meet the other's.
_xdist_worker = re.fullmatch(r"gw(\d+)", os.environ.get("PYTEST_XDIST_WORKER", ""))
if _xdist_worker:
    for _name in ("REDIS_URL", "CELERY_BROKER_URL"):
        if os.environ.get(_name):
            os.environ[_name] = re.sub(r"(/\d+)?$", f"/{int(_xdist_worker[1]) + 1}", os.environ[_name], count=1)

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory: the pipeline tests' worker processes must see the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
