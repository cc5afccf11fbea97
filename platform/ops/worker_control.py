"""A Celery remote-control command: each worker reports its own sandbox state.

The web server has no Docker engine in a multi-machine deployment; /healthz then asks
the workers, which do.
"""

from __future__ import annotations

from celery.worker.control import inspect_command


@inspect_command()
def sandbox_status(state) -> dict:
    from config.grader import sandbox_backend

    try:
        return sandbox_backend().check()
    except Exception as exc:  # a worker must always answer
        return {"ok": False, "error": str(exc)[:200]}
