"""A performance board's picture (issue 23 item 14): how the ranked times spread, with the learner's own."""

from __future__ import annotations

import math
from dataclasses import dataclass

from charts.svg import ACCENT, MUTED, WARN, Chart, cached_chart, figure, style, to_svg
from leaderboards.models import BestResult
from leaderboards.ranking import RANKED


@dataclass(frozen=True)
class TimeSpread:
    bins: list[tuple[float, float, int, bool]]  # (from s, to s, entries, holds the learner's own time)
    mine: float | None
    chart: Chart | None


def _edges(low: float, high: float, count: int) -> list[float]:
    """Bin edges over [low, high]: even on a log scale when the times span more than tenfold."""
    if high <= low:
        return [low * 0.9, high * 1.1]
    if high / low > 10:
        a, b = math.log10(low), math.log10(high)
        return [10 ** (a + (b - a) * i / count) for i in range(count + 1)]
    return [low + (high - low) * i / count for i in range(count + 1)]


def time_spread(*, exercise, cohort=None, user=None, bins: int = 12) -> TimeSpread:
    """The ranked entries' best times in bins, the bin holding the user's own marked."""
    rows = BestResult.objects.filter(RANKED, exercise=exercise, cohort=cohort, time_value__isnull=False)
    times = sorted(rows.values_list("time_value", flat=True))
    mine = None
    if user is not None and user.is_authenticated:
        mine = rows.filter(user=user).values_list("time_value", flat=True).first()
    if len(times) < 2:
        return TimeSpread([], mine, None)
    edges = _edges(times[0], times[-1], min(bins, len(times)))
    counts = [0] * (len(edges) - 1)
    for t in times:
        index = next((i for i in range(len(counts)) if t < edges[i + 1]), len(counts) - 1)
        counts[index] += 1
    table = [
        (
            edges[i],
            edges[i + 1],
            counts[i],
            mine is not None and (edges[i] <= mine < edges[i + 1] or (i == len(counts) - 1 and mine == edges[-1])),
        )
        for i in range(len(counts))
    ]
    logarithmic = edges[-1] / edges[0] > 10 and len(edges) > 2

    def draw() -> Chart:
        fig = figure(height=2.4)
        ax = fig.add_subplot()
        widths = [b - a for a, b in zip(edges[:-1], edges[1:], strict=True)]
        ax.bar(edges[:-1], counts, width=widths, align="edge", color=ACCENT, edgecolor="white")
        if logarithmic:
            ax.set_xscale("log")
        ax.set_xlabel("best time (s)")
        ax.set_ylabel("learners")
        ax.yaxis.get_major_locator().set_params(integer=True)
        if mine is not None:
            ax.axvline(mine, color=WARN, linewidth=2)
            ax.annotate(
                "you",
                (mine, 1),
                xycoords=("data", "axes fraction"),
                va="top",
                ha="left",
                color=WARN,
                fontsize=8,
                xytext=(3, 0),
                textcoords="offset points",
            )
        style(ax)
        ax.tick_params(axis="x", colors=MUTED)
        where = f"{cohort.name}: " if cohort else ""
        title = f"{where}how the best times on {exercise.title} spread"
        yours = ""
        if mine is not None:
            faster = sum(1 for t in times if t < mine)
            yours = f" Yours, {mine * 1000:.3f} ms, is marked; {faster} of {len(times)} are faster."
        desc = (
            f"{len(times)} ranked times from {times[0] * 1000:.3f} ms to {times[-1] * 1000:.3f} ms"
            f"{' on a logarithmic scale' if logarithmic else ''}.{yours} The table beside gives every bin."
        )
        return Chart(
            to_svg(fig, key=f"times-{exercise.pk}-{getattr(cohort, 'pk', 0)}", title=title, desc=desc), title, desc
        )

    key = f"board-times:{exercise.pk}:{getattr(cohort, 'pk', 0)}:{getattr(user, 'pk', 0)}"
    return TimeSpread(table, mine, cached_chart(key, (times, mine), draw))
