"""Writing a file so that it is there whole or not at all, even if the process is killed or the
machine loses power half-way. No Django."""

from __future__ import annotations

import os
from pathlib import Path


def _sync(handle) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def write_atomic(path: str | Path, data: bytes, mode: int = 0o644) -> Path:
    """Write to a private temporary name in the same directory, flush it to disk, then rename it over
    `path` (a rename is atomic): a reader never sees a half-written file at `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            _sync(handle)
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()
    return path
