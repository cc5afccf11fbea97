"""The create-cohort form sets per-exercise deadlines; the CSV speaks titles and times a spreadsheet
reads (issue 23 item 13)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from django.urls import reverse

from cohorts.models import Cohort, CohortExercise
from cohorts.services import cohort_join
from submissions.services import submission_create
from tests.platform.conftest import graded


def test_a_new_cohort_gets_its_per_exercise_deadlines(client, instructor, catalogue, settings):
    settings.TIME_ZONE = "Europe/Paris"
    client.force_login(instructor)
    probe, timing = catalogue["sandbox-probe"], catalogue["timing-probe"]
    page = client.get(reverse("cohorts:new")).content.decode()
    assert f'name="deadline-{probe.id}"' in page

    response = client.post(
        reverse("cohorts:new"),
        {
            "name": "Winter",
            "starts_at": "2030-01-01T09:00",
            "exercises": [probe.id, timing.id],
            f"deadline-{probe.id}": "2030-02-01T17:30",
            f"deadline-{timing.id}": "",
        },
    )
    cohort = Cohort.objects.get(name="Winter")
    assert response.status_code == 302
    deadlines = dict(CohortExercise.objects.filter(cohort=cohort).values_list("exercise__slug", "deadline"))
    assert deadlines["timing-probe"] is None
    paris = deadlines["sandbox-probe"].astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    assert (paris.month, paris.day, paris.hour, paris.minute) == (2, 1, 17, 30)


def test_a_deadline_for_an_exercise_left_out_is_refused(client, instructor, catalogue):
    client.force_login(instructor)
    probe, timing = catalogue["sandbox-probe"], catalogue["timing-probe"]
    response = client.post(
        reverse("cohorts:new"),
        {
            "name": "Odd",
            "starts_at": "2030-01-01T09:00",
            "exercises": [probe.id],
            f"deadline-{timing.id}": "2030-02-01T17:30",
        },
    )
    assert response.status_code == 200 and "not in the cohort" in response.content.decode()
    assert not Cohort.objects.filter(name="Odd").exists()


def test_the_csv_heads_columns_with_titles_and_writes_times_a_spreadsheet_reads(
    client, instructor, learner, cohort, catalogue, sent_tasks
):
    cohort_join(user=learner, code=cohort.join_code)
    graded(submission_create(user=learner, exercise=catalogue["sandbox-probe"], source="x = 1"), score=7)
    client.force_login(instructor)
    rows = list(csv.reader(io.StringIO(client.get(reverse("cohorts:export", args=[cohort.id])).content.decode())))
    assert "Sandbox probe" in rows[0] and "sandbox-probe" not in rows[0]
    assert rows[0][-1] == "last active (UTC)"
    last = rows[1][-1]
    assert datetime.strptime(last, "%Y-%m-%d %H:%M:%S")  # no microseconds, no offset
