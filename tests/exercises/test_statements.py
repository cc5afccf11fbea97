"""What the statements claim about the maths is true, checked against NumPy."""

import re
from pathlib import Path

import numpy as np

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


def test_svd_low_rank_says_the_sigma_ratio_is_the_smaller_one_with_the_lessons_numbers():
    text = (EXERCISES / "svd-low-rank" / "README.md").read_text(encoding="utf-8")
    s = np.linalg.svd(np.arange(1.0, 13.0).reshape(4, 3), compute_uv=False)
    sigma_ratio, energy = s[0] / s.sum(), s[0] ** 2 / np.sum(s**2)

    assert sigma_ratio < energy
    assert f"{sigma_ratio:.3f}" in text and f"{energy:.3f}" in text
    assert re.search(r"plain \$\\sigma_i\$ is always\s+the \*smaller\*", text)
    assert "overstates how\nlittle the dropped directions matter" not in text


def test_the_sigma_ratio_is_never_above_the_energy_ratio():
    rng = np.random.default_rng(0)
    for _ in range(200):
        s = np.sort(np.abs(rng.standard_normal(6)) * rng.uniform(0.1, 10, 6))[::-1]
        for k in range(1, 6):
            assert s[:k].sum() / s.sum() <= np.sum(s[:k] ** 2) / np.sum(s**2) + 1e-12
