"""Unpacking an uploaded course (a zip or a gzipped tar) without trusting a byte of it.

Refused, with a message that says why, before anything is stored: paths that climb out
(`../`, absolute names), links of any kind, devices, more files than a course has, a
file or a whole that unpacks larger than allowed (counted while unpacking, so a zip bomb
stops at the limit instead of filling the disk), and archives that are neither format.
"""

from __future__ import annotations

import io
import shutil
import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

MAX_FILES = 5_000
MAX_FILE_BYTES = 5 << 20
MAX_TOTAL_BYTES = 50 << 20
CHUNK = 1 << 16


class ArchiveRefused(Exception):
    """The upload cannot be unpacked safely; the message is for the instructor."""


def unpack(data: bytes, target: Path) -> Path:
    """Unpack ``data`` into the empty folder ``target``; returns the course's root inside it."""
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        _unzip(data, target)
    else:
        try:
            archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise ArchiveRefused("the upload is neither a zip nor a (gzipped) tar archive") from exc
        with archive:
            _untar(archive, target)
    return _course_root(target)


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ArchiveRefused(f"{name!r}: a path outside the course folder")
    return path


class _Budget:
    def __init__(self) -> None:
        self.files = 0
        self.total = 0

    def file(self, name: str) -> None:
        self.files += 1
        if self.files > MAX_FILES:
            raise ArchiveRefused(f"more than {MAX_FILES} files: a course is exercise folders, not a data set")

    def copy(self, source, destination: Path, name: str) -> None:
        written = 0
        with open(destination, "wb") as out:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                self.total += len(chunk)
                if written > MAX_FILE_BYTES:
                    raise ArchiveRefused(f"{name!r} unpacks to more than {MAX_FILE_BYTES >> 20} MiB")
                if self.total > MAX_TOTAL_BYTES:
                    raise ArchiveRefused(f"the course unpacks to more than {MAX_TOTAL_BYTES >> 20} MiB")
                out.write(chunk)


def _untar(archive: tarfile.TarFile, target: Path) -> None:
    budget = _Budget()
    try:
        for member in archive:
            path = _safe_name(member.name)
            if member.isdir():
                (target / path).mkdir(parents=True, exist_ok=True)
                continue
            if not member.isreg():
                raise ArchiveRefused(f"{member.name!r}: only plain files and folders are accepted (no links)")
            budget.file(member.name)
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            budget.copy(source, target / path, member.name)
    except (tarfile.TarError, EOFError, zlib_error()) as exc:
        raise ArchiveRefused(f"the archive is damaged: {exc}") from exc


def _unzip(data: bytes, target: Path) -> None:
    budget = _Budget()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                path = _safe_name(info.filename)
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise ArchiveRefused(f"{info.filename!r}: only plain files and folders are accepted (no links)")
                if info.is_dir():
                    (target / path).mkdir(parents=True, exist_ok=True)
                    continue
                budget.file(info.filename)
                (target / path).parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source:
                    budget.copy(source, target / path, info.filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, zlib_error()) as exc:
        raise ArchiveRefused(f"the archive is damaged: {exc}") from exc


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def _course_root(target: Path) -> Path:
    """The folder holding the exercise folders: the upload's top, or its one folder if it wraps them."""
    entries = [p for p in target.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir() and not (entries[0] / "exercise.toml").is_file():
        return entries[0]
    return target


def discard(target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
