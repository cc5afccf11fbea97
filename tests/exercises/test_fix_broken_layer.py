"""fix-broken-layer: the scale rule accepts what the statement allows and catches what it forbids."""

import pytest

SLUG = "fix-broken-layer"
LAYER = """
import numpy as np


def init_params(n_in, n_out, seed):
{init}


def forward(X, W, b):
    return np.maximum(0.0, X @ W + b)
"""


def source(init: str) -> str:
    return LAYER.format(init="\n".join("    " + line for line in init.strip().splitlines()))


@pytest.mark.parametrize("scale", ["0.1", "0.01", "0.001", "np.sqrt(2.0 / n_in)"])
def test_every_scale_the_statement_allows_is_accepted(grade, scale):
    init = f"rng = np.random.default_rng(seed)\nreturn rng.standard_normal((n_in, n_out)) * {scale}, np.zeros(n_out)"

    assert grade(SLUG, source(init)).accepted


def test_unscaled_weights_are_told_to_scale_down(grade):
    init = "rng = np.random.default_rng(seed)\nreturn rng.standard_normal((n_in, n_out)), np.zeros(n_out)"

    graded = grade(SLUG, source(init))

    assert graded.first_failure.diagnosis == "weights-not-scaled"


def test_tiny_weights_are_told_that_activations_vanish(grade):
    init = "rng = np.random.default_rng(seed)\nreturn rng.standard_normal((n_in, n_out)) * 1e-6, np.zeros(n_out)"

    graded = grade(SLUG, source(init))

    assert not graded.accepted
    assert graded.diagnoses == {"weights-vanish"}


def test_weights_that_ignore_the_seed_are_refused(grade):
    init = "rng = np.random.default_rng()\nreturn rng.standard_normal((n_in, n_out)) * 0.01, np.zeros(n_out)"

    graded = grade(SLUG, source(init))

    assert graded.outcome("init: the seed decides W").diagnosis == "seed-not-used"


def test_the_hidden_init_cases_catch_unscaled_weights(grade):
    init = "rng = np.random.default_rng(seed)\nreturn rng.standard_normal((n_in, n_out)), np.zeros(n_out)"

    graded = grade(SLUG, source(init))

    hidden = [o for o in graded.outcomes if not o.case.visible and o.case.entry == "init_params"]
    assert hidden and all(not o.passed for o in hidden)


def test_hidden_init_messages_name_no_sizes(grade):
    init = "rng = np.random.default_rng(seed)\nreturn rng.standard_normal((n_out, n_in)), np.zeros(n_in)"

    graded = grade(SLUG, source(init))

    hidden = [o for o in graded.failing if not o.case.visible and o.case.entry == "init_params"]
    assert hidden and all(not any(ch.isdigit() for ch in o.message) for o in hidden), [o.message for o in hidden]
