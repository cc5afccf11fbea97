"""Prometheus metrics, computed from the database and the broker at scrape time.

The web server and the workers are separate processes (and machines), so in-process
counters would each see a fraction; the database sees everything. Each metric says
honestly what it is:

* gauges of the present (submissions by status, broker queue depth), and gauges named
  for their window (`..._last_hour`), which may go down;
* histograms of recorded durations, over every finished grading ever kept (Grading rows
  are only ever added, so their buckets, count and sum only grow and `rate()` works).
  Quantiles are for Prometheus to compute (histogram_quantile), not for us.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

from submissions.models import Grading, Status, Submission

# Seconds. Grading a submission takes about a second in the sandbox; a queue can add minutes.
LATENCY_BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800)
SANDBOX_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300)


def _duration(start: str, end: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def duration_histogram(name: str, documentation: str, start: str, end: str, buckets) -> HistogramMetricFamily:
    """A histogram of ``end - start`` over every finished grading that recorded both, in one query."""
    rows = Grading.objects.filter(**{f"{start}__isnull": False, f"{end}__isnull": False}).annotate(
        seconds=_duration(start, end)
    )
    counts = rows.aggregate(
        total=Count("id"),
        sum=Sum("seconds"),
        **{f"le_{i}": Count("id", filter=Q(seconds__lte=timedelta(seconds=b))) for i, b in enumerate(buckets)},
    )
    total = counts["total"] or 0
    cumulative = [(str(float(b)), counts[f"le_{i}"] or 0) for i, b in enumerate(buckets)] + [("+Inf", total)]
    seconds_sum = counts["sum"].total_seconds() if counts["sum"] else 0.0
    return HistogramMetricFamily(name, documentation, buckets=cumulative, sum_value=seconds_sum)


class PlatformCollector:
    def collect(self):
        status = GaugeMetricFamily("tensordojo_submissions", "Submissions by current status", labels=["status"])
        for row in Submission.objects.values("status").annotate(n=Count("id")):
            status.add_metric([row["status"]], row["n"])
        yield status

        since = timezone.now() - timedelta(hours=1)
        verdicts = GaugeMetricFamily(
            "tensordojo_gradings_last_hour",
            "Gradings finished in the last hour, by verdict (error: ours, not the learner's)",
            labels=["verdict"],
        )
        by_label: dict[str, int] = {}
        finished = Grading.objects.filter(finished_at__gte=since).values("status", "verdict").annotate(n=Count("id"))
        for row in finished:
            label = (row["verdict"] or "none") if row["status"] == Status.GRADED else "error"
            by_label[label] = by_label.get(label, 0) + row["n"]
        for label, n in sorted(by_label.items()):
            verdicts.add_metric([label], n)
        yield verdicts

        depth = GaugeMetricFamily("tensordojo_queue_depth", "Messages waiting in the broker", labels=["queue"])
        try:
            import redis

            client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
            for queue in settings.WORK_QUEUES:
                depth.add_metric([queue], client.llen(queue))
        except Exception:
            pass  # broker down: /healthz says so; metrics stay available
        yield depth

        yield duration_histogram(
            "tensordojo_grading_latency_seconds",
            "Queued-to-finished time of every finished grading",
            "queued_at",
            "finished_at",
            LATENCY_BUCKETS,
        )
        yield duration_histogram(
            "tensordojo_sandbox_seconds",
            "Time in the sandbox of every finished grading",
            "sandbox_started_at",
            "sandbox_finished_at",
            SANDBOX_BUCKETS,
        )
