"""Staging files and directories next to the target, published with an atomic rename."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from leo_synth.errors import LeoSynthError


def check_target(path: Path, if_exists: str, want_dir: bool) -> None:
    """Fail early if ``path`` cannot be written, or exists and may not be replaced."""
    parent = path.parent if str(path.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise LeoSynthError(f"cannot write {path}: {parent} is not a directory")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=parent, prefix=".leo-synth-probe-"):
            pass
    except OSError as exc:
        raise LeoSynthError(f"cannot write to {parent}: {exc.strerror or exc}") from exc
    if path.exists() or path.is_symlink():
        if if_exists != "replace":
            raise LeoSynthError(f"{path} already exists; use --if-exists replace to overwrite it")
        if want_dir and not path.is_dir():
            raise LeoSynthError(f"{path} exists and is not a directory; remove it or choose "
                                f"another --out")
        if not want_dir and path.is_dir():
            raise LeoSynthError(f"{path} is a directory; choose a file path for --out")


def staging_path(path: Path) -> Path:
    """A hidden sibling of ``path`` for building the output before publishing it."""
    return path.with_name(f".{path.name}.leo-synth-tmp-{os.getpid()}")


def publish(staging: Path, path: Path) -> None:
    """Move ``staging`` into place; an existing file is replaced atomically, an existing
    directory is swapped out and then deleted."""
    if staging.is_dir() and path.exists():
        old = path.with_name(f".{path.name}.leo-synth-old-{os.getpid()}")
        os.replace(path, old)
        os.replace(staging, path)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, path)


def remove(path: Path) -> None:
    """Remove a staging file or directory if it exists."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
