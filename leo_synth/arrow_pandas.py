"""pyarrow without pandas in a ``leo-synth generate`` process.

pyarrow looks for pandas twice per process, each time once: its pandas shim when it first
converts a numpy array, and its C++ side when it first converts to or from Python objects (for
pandas' missing-value markers). Either look imports pandas if it is installed: a quarter of a
second, more than a 100-person run spends on its own work. A run converts numpy arrays only, so
:func:`arrow_without_pandas` has both looks find no pandas, before anything else converts.
Should pandas be imported after all, later in the process, pyarrow's shim is told at once, so
pandas objects (Series, Categorical) convert as usual; only pandas' NA and NaT inside Python
lists stay unknown to the C++ side. Hence only for a process the command owns.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

PANDAS = "pandas"


class _PandasWatch:
    """First on ``sys.meta_path`` (a meta path finder: ``find_spec`` is all the import system
    asks of one): while ``refusing``, an import of pandas fails as if pandas were not
    installed; then the first import of pandas tells pyarrow of it, and the watch steps
    aside."""

    def __init__(self) -> None:
        self.refusing = True

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name != PANDAS:
            return None
        if self.refusing:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
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


def arrow_without_pandas() -> None:
    """Have pyarrow's two looks for pandas find none (unless pandas is imported already, or
    pyarrow has looked already: then nothing changes)."""
    if PANDAS in sys.modules or any(isinstance(f, _PandasWatch) for f in sys.meta_path):
        return
    import numpy as np
    import pyarrow as pa

    watch = _PandasWatch()
    sys.meta_path.insert(0, watch)
    try:
        pa.array(np.zeros(0, dtype=np.int8)).to_numpy()  # the shim's look, then the C++ one
    finally:
        watch.refusing = False
