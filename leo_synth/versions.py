"""Installed versions of distributions (leo-synth's own, and the libraries a manifest names).

What ``importlib.metadata.version`` answers, read the same way (the ``Version`` field of the
first ``<name>-<version>.dist-info/METADATA`` on ``sys.path``) without importing
``importlib.metadata``, whose e-mail and zip machinery costs more than a small run's set-up.
Anything else (an egg, a zip) is left to ``importlib.metadata``.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache


def _normal(name: str) -> str:
    """A distribution name as dist-info folder names spell it (PEP 503, then ``_``)."""
    return re.sub(r"[-_.]+", "_", name).lower()


@cache
def _dist_info_folders() -> dict[str, str]:
    """Per normalised distribution name, its first dist-info folder on ``sys.path``."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # not a folder (a zip), or gone
            continue
        for name in names:
            if name.endswith(".dist-info") and "-" in name:
                found.setdefault(_normal(name.partition("-")[0]),
                                 os.path.join(entry or ".", name))
    return found


def _metadata_version(folder: str) -> str | None:
    try:
        with open(os.path.join(folder, "METADATA"), encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("Version:"):
                    return line[len("Version:"):].strip()
                if not line.strip():  # the headers end at the first blank line
                    break
    except OSError:
        pass
    return None


def installed_version(name: str) -> str:
    """The installed version of the distribution ``name``; raises
    ``importlib.metadata.PackageNotFoundError`` when it is not installed."""
    folder = _dist_info_folders().get(_normal(name))
    version = _metadata_version(folder) if folder else None
    if version is None:
        from importlib.metadata import version as metadata_version

        return metadata_version(name)
    return version
