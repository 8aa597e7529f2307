"""How a run is stopped: SIGINT and SIGTERM become :class:`Interrupted`, the few steps that must
not be cut in two (publishing an output) hold them back, and tests can pause a run at a named
point to deliver a signal exactly there.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
PAUSE_ENV = "LEO_SYNTH_PAUSE_AT"
"""Test hook: the name of a point (``write``, ``publish``) at which the run announces itself on
stderr and sleeps, so a test can signal or kill it there."""


class Interrupted(BaseException):
    """The run received SIGINT (Ctrl-C) or SIGTERM (``timeout``, systemd, docker stop).

    A BaseException, like KeyboardInterrupt, so that nothing catching ``Exception`` swallows it
    and every cleanup path (``except BaseException``) runs. ``published`` is set when the
    signal arrived after the new output was already in place.
    """

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.published = False

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal number (130 for SIGINT, 143 for SIGTERM)."""
        return 128 + self.signum


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def raise_on_stop_signals() -> None:
    """Turn SIGINT and SIGTERM into :class:`Interrupted` (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in STOP_SIGNALS:
        signal.signal(signum, _raise_interrupted)


def worker_signals() -> None:
    """Signals in a worker process: Ctrl-C reaches the whole process group, and the parent
    alone decides (it terminates its workers); SIGTERM ends a worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the block runs; the first one received is delivered
    (to the handler in force before) when it ends.

    Used around the renames that publish an output, so that a signal can never leave the
    output half-moved (only ``kill -9`` can, and the next run repairs that). Done with Python
    handlers rather than a signal mask: a mask covers one thread, and pyarrow's threads would
    still take the signal and have the handler run in the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def record(signum: int, frame: FrameType | None) -> None:
        pending.append(signum)

    previous = {signum: signal.signal(signum, record) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        if pending:
            signal.raise_signal(pending[0])


def pause_point(name: str) -> None:
    """Pause here when the test hook names this point (see :data:`PAUSE_ENV`)."""
    if os.environ.get(PAUSE_ENV) != name:
        return
    sys.stderr.write(f"leo-synth: paused at {name} (pid {os.getpid()})\n")
    sys.stderr.flush()
    time.sleep(float(os.environ.get("LEO_SYNTH_PAUSE_SECONDS", "60")))
