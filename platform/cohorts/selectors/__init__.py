"""Reads for cohorts, one idea per module:

- counting: the counting rule (which submissions count for which cohort, and until when);
- access: who is what in a cohort;
- grade_book: grades, verdicts, mistakes and the learner's own standing, from what counts;
- dashboard: the instructor's progress grid and its cached rendering.

Other apps import the names below from `cohorts.selectors`; the cohorts app imports from the modules.
"""

from cohorts.selectors.access import (
    CohortAccess,
    cohort_access,
    cohorts_for_user,
    instructor_sees_submission,
    is_cohort_instructor,
    is_learner,
    is_member,
    learner_count,
)
from cohorts.selectors.counting import (
    cohort_links,
    counting_cohort_ids,
    counting_submissions,
    counts_flag_condition,
    counts_for_a_cohort_now,
    learner_dues,
    still_counted_somewhere,
)
from cohorts.selectors.dashboard import Cell, CohortDashboard, LearnerRow, cohort_grid
from cohorts.selectors.grade_book import (
    Grade,
    GradeBook,
    Standing,
    cohort_grade_book,
    cohort_grades,
    cohort_stats,
    exercise_stats,
    is_solved,
    learner_standing,
    learner_submissions,
)

__all__ = [
    "Cell",
    "CohortAccess",
    "CohortDashboard",
    "Grade",
    "GradeBook",
    "LearnerRow",
    "Standing",
    "cohort_access",
    "cohort_grade_book",
    "cohort_grades",
    "cohort_grid",
    "cohort_links",
    "cohort_stats",
    "cohorts_for_user",
    "counting_cohort_ids",
    "counting_submissions",
    "counts_flag_condition",
    "counts_for_a_cohort_now",
    "exercise_stats",
    "instructor_sees_submission",
    "is_cohort_instructor",
    "is_learner",
    "is_member",
    "is_solved",
    "learner_count",
    "learner_dues",
    "learner_standing",
    "learner_submissions",
    "still_counted_somewhere",
]
