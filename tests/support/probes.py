"""Run a probe container the way the docker backend would, and read back its one JSON report."""

from __future__ import annotations

import json


def run_probe(api, create: dict, host_config: dict, *, timeout: int) -> dict:
    """Create and start a container from ``create``/``host_config`` (as ``container_options`` builds
    them, its log kept so the probe's output can be read back), wait, remove it, and return the JSON
    object printed after ``REPORT``."""
    container = api.create_container(host_config=api.create_host_config(**host_config), **create)
    try:
        api.start(container)
        api.wait(container, timeout=timeout)
        logs = api.logs(container, stdout=True, stderr=True).decode(errors="replace")
    finally:
        api.remove_container(container, force=True)
    assert "REPORT" in logs, f"PID 1 did not finish: {logs[-3000:]}"
    return json.loads(logs.split("REPORT", 1)[1].strip().splitlines()[0])
