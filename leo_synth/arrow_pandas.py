"""pyarrow without pandas while a ``generate`` command runs.

pyarrow looks for pandas when it first converts a numpy array (its pandas shim) and whenever
it converts to or from Python objects (its C++ side, for pandas' missing-value markers), and
imports pandas if it is installed: a quarter of a second, more than a 100-person run spends on
its own work. A run converts numpy arrays only, so while the command runs those looks find no
pandas; pyarrow works on without it. Should pandas be imported after all, later in the process
(the Python API, a test session), pyarrow is told at once, so pandas objects convert as usual.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from collections.abc import Iterator
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

PANDAS = "pandas"


class _PandasWatch:
    """First on ``sys.meta_path`` once installed (a meta path finder: ``find_spec`` is all
    the import system asks of one): while ``refusing``, an import of pandas fails as if pandas
    were not installed; otherwise the first import of pandas tells pyarrow of it, and the watch
    steps aside."""

    def __init__(self) -> None:
        self.refusing = False

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name != PANDAS:
            return None
        if self.refusing:
            raise ModuleNotFoundError(f"No module named {name!r} (leo-synth: not during a "
                                      "run)", name=name)
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            load = spec.loader.exec_module

            def exec_module(module: ModuleType) -> None:
                load(module)
                _tell_pyarrow()

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _tell_pyarrow() -> None:
    """Make pyarrow's shim look for pandas again (its pandas conversions do), and find it."""
    import pyarrow as pa

    pa.table({}).to_pandas()


@contextlib.contextmanager
def pandas_unseen() -> Iterator[None]:
    """While this runs, pyarrow finds no pandas (unless pandas is imported already: then
    nothing changes). Nothing in it may import pandas itself."""
    if PANDAS in sys.modules:
        yield
        return
    watch = next((f for f in sys.meta_path if isinstance(f, _PandasWatch)), None)
    if watch is None:
        watch = _PandasWatch()
        sys.meta_path.insert(0, watch)
    watch.refusing = True
    try:
        yield
    finally:
        watch.refusing = False
