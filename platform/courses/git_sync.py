"""A course that follows a git repository: fetch a branch, push its tree as any upload is pushed.

The git CLI fetches one branch, shallow, into a fresh folder, with a deadline, no terminal
prompts and no credential helpers; the repository's files then go through the same path as
an upload (courses.services.push_create), so nothing in the repository runs here either
(git runs no hooks of a repository it clones). Only the URL schemes in
COURSE_REPOSITORY_SCHEMES are followed (https by default), so a course cannot make this
server read its own files or talk to services on its own network over other protocols.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from courses.archive import ArchiveRefused, discard

CLONE_TIMEOUT_S = 120
BRANCH_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")


class SyncFailed(Exception):
    """The repository could not be fetched; the message is for the instructor."""


def check_repository(url: str, branch: str) -> None:
    """Refuse a URL or branch this server will not fetch (ValueError with the reason)."""
    parts = urlsplit(url)
    schemes = {s.strip() for s in settings.COURSE_REPOSITORY_SCHEMES.split(",") if s.strip()}
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"the repository must be a {' or '.join(sorted(schemes))} URL with a host")
    if parts.username or parts.password:
        raise ValueError("put no credentials in the URL: public repositories only for now")
    if not branch or set(branch) - BRANCH_OK or branch.startswith(("-", ".")) or ".." in branch:
        raise ValueError("the branch name has characters a branch cannot have")


def fetch_tree(url: str, branch: str) -> bytes:
    """The branch's files (no .git) as a tar, ready for push_create. SyncFailed if git cannot fetch it."""
    check_repository(url, branch)
    work = Path(tempfile.mkdtemp(prefix="tensordojo-sync-"))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    command = ["git", "-c", "credential.helper=", "-c", "core.symlinks=false", "clone", "--quiet", "--depth", "1"]
    command += ["--single-branch", "--branch", branch, "--no-tags", "--", url, str(work / "tree")]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=CLONE_TIMEOUT_S)
        if done.returncode != 0:
            raise SyncFailed(f"git could not fetch {branch!r} of {url}: {done.stderr.strip()[-300:]}")
        return _tar(work / "tree")
    except subprocess.TimeoutExpired as exc:
        raise SyncFailed(f"fetching {url} took longer than {CLONE_TIMEOUT_S} s") from exc
    except OSError as exc:
        raise SyncFailed(f"git is not available on this server: {exc}") from exc
    finally:
        discard(work)


def _tar(tree: Path) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for path in sorted(tree.rglob("*")):
            relative = path.relative_to(tree)
            if relative.parts[0] == ".git" or path.is_dir():
                continue
            if path.is_symlink():
                raise ArchiveRefused(f"{relative.as_posix()!r}: only plain files and folders are accepted (no links)")
            archive.add(path, arcname=relative.as_posix(), recursive=False)
    return out.getvalue()


def signature_valid(secret: str, body: bytes, header: str) -> bool:
    """A webhook's ``sha256=<hex>`` HMAC of the body under the course's secret (GitHub's and Gitea's form)."""
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip())
