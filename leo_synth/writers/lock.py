"""An exclusive lock on one file output, so that two runs never write the same target."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from leo_synth.errors import LeoSynthError

_HELD: set[int] = set()
"""Descriptors of the locks this process holds (closed in forked workers, see below)."""


def lock_path(target: Path) -> Path:
    """The lock file beside a target: ``.<name>.leo-synth-lock``."""
    return target.with_name(f".{target.name}.leo-synth-lock")


class OutputLock:
    """``flock`` on ``.<name>.leo-synth-lock`` beside the target, holding the owner's PID.

    The lock file is removed on release while still locked; a waiter that opened the removed
    file notices (its descriptor no longer matches the path) and opens the new one. A killed
    owner's lock is released by the kernel; its file is reused and then removed by the next run.
    """

    def __init__(self, target: Path):
        self.target = target
        self.path = lock_path(target)
        self.fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or fail at once (one line) when another run holds it."""
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise LeoSynthError(f"cannot write to {self.path.parent}: "
                                    f"{exc.strerror or exc}") from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
                os.close(fd)
                raise LeoSynthError(
                    f"{self.target} is being written by another leo-synth run (PID {owner}); "
                    f"wait for it to finish or choose another --out") from None
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)  # the previous owner removed this file as we opened it: retry
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        _HELD.add(fd)

    def release(self) -> None:
        """Remove the lock file and unlock (nothing when not held)."""
        if self.fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        _HELD.discard(self.fd)
        os.close(self.fd)
        self.fd = None


def close_inherited_locks() -> None:
    """In a forked worker: drop the copies of the parent's lock descriptors, so that the lock
    dies with the parent even if a worker outlives it (``kill -9`` of the parent)."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()
