"""Prometheus metrics, computed from the database and the broker at scrape time.

The web server and the workers are separate processes (and machines), so
in-process counters would each see a fraction; the database sees everything.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, SummaryMetricFamily

from submissions.models import Submission

QUEUES = ("cpu", "gpu", "regrade")


class PlatformCollector:
    def collect(self):
        status = GaugeMetricFamily("tensordojo_submissions", "Submissions by status", labels=["status"])
        for row in Submission.objects.values("status").annotate(n=Count("id")):
            status.add_metric([row["status"]], row["n"])
        yield status

        verdicts = CounterMetricFamily("tensordojo_verdicts", "Graded submissions by verdict", labels=["verdict"])
        for row in Submission.objects.filter(status=Submission.GRADED).values("verdict").annotate(n=Count("id")):
            verdicts.add_metric([row["verdict"] or "none"], row["n"])
        yield verdicts

        depth = GaugeMetricFamily("tensordojo_queue_depth", "Messages waiting in the broker", labels=["queue"])
        try:
            import redis

            client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
            for queue in QUEUES:
                depth.add_metric([queue], client.llen(queue))
        except Exception:
            pass  # broker down: /healthz says so; metrics stay available
        yield depth

        since = timezone.now() - timezone.timedelta(hours=1)
        rows = Submission.objects.filter(graded_at__gte=since, status=Submission.GRADED).values_list(
            "created_at", "graded_at", "sandbox_started_at", "sandbox_finished_at"
        )[:5000]
        latency = [(graded - created).total_seconds() for created, graded, _, _ in rows]
        sandbox = [(end - start).total_seconds() for _, _, start, end in rows if start and end]
        yield SummaryMetricFamily(
            "tensordojo_grading_latency_seconds",
            "Submit-to-graded time, last hour",
            count_value=len(latency),
            sum_value=sum(latency),
        )
        yield SummaryMetricFamily(
            "tensordojo_sandbox_seconds",
            "Time in the sandbox, last hour",
            count_value=len(sandbox),
            sum_value=sum(sandbox),
        )
        if latency:
            ordered = sorted(latency)
            quantiles = GaugeMetricFamily(
                "tensordojo_grading_latency_quantile_seconds",
                "Submit-to-graded time quantiles, last hour",
                labels=["quantile"],
            )
            for q in (0.5, 0.9, 0.99):
                quantiles.add_metric([str(q)], ordered[min(len(ordered) - 1, int(q * len(ordered)))])
            yield quantiles
