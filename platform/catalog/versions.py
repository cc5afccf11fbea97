"""Exercise versions as immutable data: a folder's files stored once by content hash, fetched by any worker.

A version's identity is the content hash of its folder (grader.exercise.content_hash). Its
files are kept as one canonical tar (sorted names, no owners, times or modes of the machine
that made it) through Django's storage API, under ``exercise-versions/<slug>-<hash>.tar``:
the file system by default, object storage where STORAGES says so. A worker that grades a
version fetches that archive once into its cache (``<cache>/versions/<hash>/<slug>/``) and
grades exactly those files, whatever is on its own disk.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from grader.exercise import ExerciseFolder, load_exercise

ARCHIVES = "exercise-versions"


class VersionUnavailable(Exception):
    """A version's files cannot be had on this worker (not stored, or altered): ours, retry elsewhere."""


def archive_name(slug: str, version: str) -> str:
    return f"{ARCHIVES}/{slug}-{version}.tar"


def canonical_tar(folder: Path) -> bytes:
    """The folder's regular files as a tar that depends on their names and bytes only."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
            if "__pycache__" in path.parts:
                continue
            data = path.read_bytes()
            info = tarfile.TarInfo(path.relative_to(folder).as_posix())
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def version_store(folder: ExerciseFolder) -> tuple[str, str]:
    """Store a loaded folder's files once; returns (version hash, archive name). Storing twice is a no-op.

    The version is the hash the load already computed (grader.exercise.content_hash), not a second one."""
    name = archive_name(folder.slug, folder.version)
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(canonical_tar(folder.path)))  # a race may give another name
    return folder.version, name


def version_files(*, slug: str, version: str, archive: str) -> ExerciseFolder:
    """The version's folder on this machine, fetched from storage once and checked against its hash."""
    target = Path(settings.GRADER_CACHE_DIR) / "versions" / version / slug
    if not (target / "exercise.toml").is_file():
        if not archive or not default_storage.exists(archive):
            raise VersionUnavailable(f"{slug}@{version}: its files are not in storage")
        with default_storage.open(archive, "rb") as handle:
            data = handle.read()
        _extract(data, target)
    folder = load_exercise(target, siblings=False)  # hashes the files once, as every load does
    if folder.version != version:
        shutil.rmtree(target, ignore_errors=True)
        raise VersionUnavailable(f"{slug}@{version}: the fetched files do not match the version's hash")
    return folder


def _extract(data: bytes, target: Path) -> None:
    """Unpack one of our own canonical tars next to ``target`` and move it into place atomically.

    Written member by member (plain files under the folder only), not with extractall's
    ``filter=``: Debian 12's Python 3.11.2, which the app image runs, predates that argument.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=target.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            for member in archive:
                name = PurePosixPath(member.name)
                if not member.isfile() or name.is_absolute() or ".." in name.parts:
                    raise VersionUnavailable(f"{target.name}: the stored archive holds {member.name!r}")
                destination = staging.joinpath(*name.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.extractfile(member).read())
        try:
            os.replace(staging, target)
        except OSError:  # another process of this worker fetched it first
            if not (target / "exercise.toml").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
