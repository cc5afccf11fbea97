"""A verdict does not depend on how busy the machine is.

Two gradings per core run at once beside a CPU hog per core (bounded loops), under the
runtime make test chose (runc or gVisor). Each submission is the probe's honest answer plus
about 20 ms of pure-Python work per call: some 0.2 s of CPU against a 1 s limit. Charged by
the wall clock, a grading that shares its core with two or more other processes saw its budget
eaten by them and by its own start-up (time_limit); charged by the runner's own CPU time
(supervisor.Budget), every one is accepted. The wall-clock backstop (3x the limit) still ends
a run that waits instead of computing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from grader.exercise import load_exercise
from grader.grading import grade
from tests.security.conftest import FIXED_POOL, HERE

pytestmark = [pytest.mark.docker, pytest.mark.security, pytest.mark.slow]

CORES = max(1, min(os.cpu_count() or 1, 4))
GRADINGS = 2 * CORES
HOG_S = 120  # each hog stops by itself, whatever happens to the test
BUSY_HONEST = (
    "def solve(x):\n"
    "    if x.ndim != 1:\n"
    "        raise ValueError('expected a vector')\n"
    "    total = 0\n"
    "    for i in range(450_000):\n"
    "        total += i\n"
    "    return x * 2\n"
)
HOG = f"import time\nend = time.monotonic() + {HOG_S}\nwhile time.monotonic() < end:\n    pass\n"


@pytest.fixture(scope="module")
def tight_probe(tmp_path_factory):
    """hostile-probe with a 1 s limit."""
    folder = tmp_path_factory.mktemp("load") / "load-probe"
    shutil.copytree(HERE / "exercises" / "hostile-probe", folder)
    toml = folder / "exercise.toml"
    text = re.sub(r"^slug = .*$", 'slug = "load-probe"', toml.read_text(), flags=re.M)
    toml.write_text(re.sub(r"^time_s = .*$", "time_s = 1", text, flags=re.M))
    return load_exercise(folder)


def _fresh_backend(template):
    from grader.backends.docker_backend import DockerBackend

    return DockerBackend(
        runtime=template.runtime,
        image=template.image,
        stdlib_image=template.images.get("stdlib"),
        triton_image=template.images.get("triton"),
    )


def test_reference_gradings_beside_cpu_hogs_are_all_accepted(docker_backend, expected_store, tight_probe):
    assert tight_probe.limits.wall_s == 1
    expected_store.get(tight_probe, docker_backend, *FIXED_POOL.values())  # the reference, before any load
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(CORES)]
    try:

        def one(_):
            result = grade(
                tight_probe, BUSY_HONEST, backend=_fresh_backend(docker_backend), store=expected_store, **FIXED_POOL
            )
            return result.verdict, result.limit_hit

        with ThreadPoolExecutor(max_workers=GRADINGS) as pool:
            verdicts = list(pool.map(one, range(GRADINGS)))
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()

    assert verdicts == [("accepted", None)] * GRADINGS, verdicts
