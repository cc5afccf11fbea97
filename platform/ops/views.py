"""Operator endpoints: /healthz and /metrics.

/metrics needs `Authorization: Bearer <METRICS_TOKEN>`, always: no caller is trusted for its
address (a reverse proxy on the same host makes every client look local). Without a token
configured it answers no one (`make up` generates one in `.env`). /healthz tells anyone whether the service is up
({"status": "ok"|"degraded"}, 200 or 503, enough for a load balancer; cached a few
seconds, so anonymous polling cannot make us ping every worker at will); the
per-service detail (errors, worker names, engine versions) is for staff or the
metrics token, and always fresh.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from ops.health import health_report
from ops.metrics import PlatformCollector


def _has_metrics_token(request) -> bool:
    expected = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), expected)


def may_read_operator_detail(request) -> bool:
    """Staff, or a caller holding the metrics token."""
    return _has_metrics_token(request) or (request.user.is_authenticated and request.user.is_staff)


ANONYMOUS_HEALTH_TTL = 5  # seconds: load balancers poll; each check pings every worker


@require_GET
def healthz(request):
    if may_read_operator_detail(request):
        report = health_report()
        body = {"status": "ok" if report["ok"] else "degraded", **report}
        return JsonResponse(body, status=200 if report["ok"] else 503)
    ok = cache.get("healthz:ok")
    if ok is None:
        ok = health_report()["ok"]
        cache.set("healthz:ok", ok, timeout=ANONYMOUS_HEALTH_TTL)
    return JsonResponse({"status": "ok" if ok else "degraded"}, status=200 if ok else 503)


@require_GET
def metrics(request):
    if not settings.METRICS_TOKEN:
        return HttpResponse(
            "Metrics need a bearer token: set METRICS_TOKEN (make up writes one in .env).\n",
            status=403,
            content_type="text/plain",
        )
    if not _has_metrics_token(request):
        response = HttpResponse("A bearer token is required.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = CollectorRegistry()
    registry.register(PlatformCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
