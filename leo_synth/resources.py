"""Where leo-synth's data files live: the specs, the configs and the examples.

An installed wheel carries the top-level folders ``schemas/``, ``config/`` and ``examples/`` as
package data under ``leo_synth/_data/`` (``setup.py`` maps them there); a source checkout (an
editable install, or the tests run from the tree) uses the top-level folders themselves, so
edits to them take effect without reinstalling. Every caller finds its files here and nowhere
else, so a new data file is found the same way in both layouts.
"""

from __future__ import annotations

import gc
import os
import pickle
from importlib.resources import files
from pathlib import Path
from typing import Any

from leo_synth.errors import LeoSynthError

DATA_FOLDERS = ("schemas", "config", "examples")
"""The top-level folders shipped as package data (``leo_synth/_data/<name>``)."""

PACKAGED = "_data"


def data_dir(name: str) -> Path:
    """The folder ``name`` (one of :data:`DATA_FOLDERS`): packaged data, else the checkout's."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder {name!r}; one of {', '.join(DATA_FOLDERS)}")
    packaged = files("leo_synth").joinpath(PACKAGED, name)
    if packaged.is_dir():
        if not isinstance(packaged, Path):  # e.g. imported from a zip file
            raise LeoSynthError(f"leo-synth's data files must be on disk, not in {packaged}; "
                                f"install leo-synth with pip")
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise LeoSynthError(f"leo-synth's {name}/ folder is missing (looked in {packaged} and "
                        f"{checkout}); reinstall leo-synth")


def data_file(name: str, relative: str) -> Path:
    """A file inside a data folder, e.g. ``data_file("config", "parameters.yaml")``."""
    return data_dir(name) / relative


def schema_dir() -> Path:
    """The spec files (``schemas/``)."""
    return data_dir("schemas")


def config_file(relative: str) -> Path:
    """A file of ``config/``, e.g. ``config_file("calibration_targets.yaml")``."""
    return data_file("config", relative)


def example_file(relative: str) -> Path:
    """A file of ``examples/``, e.g. ``example_file("request.yaml")``."""
    return data_file("examples", relative)


def cache_dir() -> Path | None:
    """Where leo-synth caches what it can rebuild (parsed specs, the pytest plugin's
    extracts): ``$LEO_SYNTH_CACHE``, else ``$XDG_CACHE_HOME/leo-synth`` or
    ``~/.cache/leo-synth``; None when ``LEO_SYNTH_CACHE=off``."""
    root = os.environ.get("LEO_SYNTH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "leo-synth")
    return None if root == "off" else Path(root)


PREBUILT_DIR = Path(__file__).parent / "_prebuilt"
"""Caches an installed wheel ships (``setup.py`` builds them with the wheel: a default run's
parsed specs, DDL and parameters), so the first run after ``pip install`` needs no cache of its
own. Their names are digests of what they were built from, as in the cache directory, so a
different dependency version or spec file simply misses and the cache is built as usual. A
source checkout has none."""


def read_cached(path: Path | None) -> Any | None:
    """The object pickled at ``path`` by :func:`write_cached` (or shipped under the same name
    in :data:`PREBUILT_DIR`), or None (no cache, no file, or a file this version cannot read).
    The collector is paused while loading: a catalog is hundreds of thousands of new objects,
    a collection every 700 of them."""
    if path is None:
        return None
    if not path.exists():
        path = PREBUILT_DIR / path.name
        if not path.exists():
            return None
    collecting = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    finally:
        if collecting:
            gc.enable()


def write_cached(path: Path | None, value: Any) -> None:
    """Pickle ``value`` to ``path`` by an atomic rename; a cache is an optimisation, so a
    failure to write it never fails a run."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        with open(tmp, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
