"""The cleaner empties the scratch space whatever the learner left there (grader/harness/scratch.py).

It runs between runners, as the learner's uid, with one directory open at a time: a tree
deeper than PATH_MAX, directories made unreadable or unwritable, a flood of entries,
symlinks and FIFOs all go. (The rmtree it replaces raised TypeError on an unreadable
directory, and the grading ended as our internal error.)
"""

from __future__ import annotations

import os

from grader.harness import scratch


def test_a_tree_deeper_than_path_max_is_emptied(tmp_path):
    fd = os.open(tmp_path, os.O_RDONLY)
    for _ in range(1500):  # 1500 levels of "d/": 3000 characters of path, and more descriptors than a runner has
        os.mkdir("dd", dir_fd=fd)
        inner = os.open("dd", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)

    assert scratch.empty(str(tmp_path))
    assert os.listdir(tmp_path) == []


def test_directories_without_any_permission_are_emptied(tmp_path):
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c" / "file").write_text("left behind")
    (tmp_path / "a" / "b" / "c").chmod(0)
    (tmp_path / "a" / "b").chmod(0o100)
    (tmp_path / "a").chmod(0o500)

    assert scratch.empty(str(tmp_path))
    assert os.listdir(tmp_path) == []


def test_a_flood_of_entries_links_and_fifos_is_emptied_and_what_they_point_to_is_kept(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep").write_text("not the cleaner's")
    scratch_dir = tmp_path / "scratch"
    scratch_dir.mkdir()
    for index in range(3000):
        (scratch_dir / f"f{index}").mkdir()
    (scratch_dir / "link").symlink_to(outside, target_is_directory=True)
    os.mkfifo(scratch_dir / "fifo")

    assert scratch.empty(str(scratch_dir))
    assert os.listdir(scratch_dir) == []
    assert (outside / "keep").read_text() == "not the cleaner's"


def test_a_missing_scratch_directory_counts_as_empty(tmp_path):
    assert scratch.empty(str(tmp_path / "absent"))
