"""Bumped whenever the harness's job or report format changes (invalidates cached references)."""

HARNESS_VERSION = 1
