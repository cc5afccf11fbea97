"""What /healthz reports: the state of every service grading depends on."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        return {"ok": False, "error": str(exc)[:200]}


def check_redis() -> dict:
    import redis

    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": str(exc)[:200]}


def check_workers() -> dict:
    from config.celery import app

    try:
        replies = app.control.ping(timeout=1.0) or []
    except Exception as exc:
        return {"ok": False, "error": str(exc)[:200], "workers": []}
    names = sorted(name for reply in replies for name in reply)
    return {"ok": bool(names), "workers": names, **({} if names else {"error": "no live Celery worker"})}


def check_sandbox() -> dict:
    """This machine's engine and image, or (TENSORDOJO_HEALTH_SANDBOX=workers) what the workers report."""
    if settings.HEALTH_SANDBOX == "workers":
        from config.celery import app

        try:
            replies = app.control.broadcast("sandbox_status", reply=True, timeout=2.0) or []
        except Exception as exc:
            return {"ok": False, "error": str(exc)[:200]}
        states = {name: state for reply in replies for name, state in reply.items()}
        ok = any(state.get("ok") for state in states.values())
        return {"ok": ok, "workers": states, **({} if ok else {"error": "no worker has a working sandbox"})}
    from config.grader import sandbox_backend

    try:
        return sandbox_backend().check()
    except Exception as exc:
        return {"ok": False, "error": str(exc)[:200]}


def health_report() -> dict:
    redis = check_redis()
    # With the broker unreachable, Celery's ping retries for seconds and can only fail: say so at once.
    workers = check_workers() if redis["ok"] else {"ok": False, "error": "broker unreachable", "workers": []}
    checks = {"database": check_database(), "redis": redis, "workers": workers, "sandbox": check_sandbox()}
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
