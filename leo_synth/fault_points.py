"""Named pause points, so fault tests can act at a precise moment of a run.

With ``LEO_SYNTH_PAUSE_AT=<name>`` and ``LEO_SYNTH_PAUSE_FILE=<path>`` in the environment, a
run reaching the point named ``<name>`` creates ``<path>`` and waits until the test removes it
(60 seconds at most). Without them a pause point does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_LIMIT_SECONDS = 60.0


def pause_point(name: str) -> None:
    """Wait here while the test holds the pause file (a no-op outside fault tests)."""
    if os.environ.get("LEO_SYNTH_PAUSE_AT") != name or not os.environ.get("LEO_SYNTH_PAUSE_FILE"):
        return
    flag = Path(os.environ["LEO_SYNTH_PAUSE_FILE"])
    flag.write_text(f"{os.getpid()}\n", encoding="utf-8")
    deadline = time.monotonic() + PAUSE_LIMIT_SECONDS
    while flag.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
