"""leo-synth: a synthetic, de-identified copy of the LEO standard extract.

The Python API (see :mod:`leo_synth.api`):

- :func:`generate` writes an extract to SQLite, Parquet or PostgreSQL and returns a summary;
- :func:`extract` generates one into memory and returns its relations as Arrow tables, with
  pandas and DuckDB access;
- :func:`run_sql` runs a T-SQL script, as written for the SRS, on an output and returns its
  result as a pandas DataFrame.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("leo-synth")
except PackageNotFoundError:  # running from a checkout without installation
    __version__ = "0.0.0+local"

if TYPE_CHECKING:
    from leo_synth.api import Extract, GenerateSummary, extract, generate, run_sql
    from leo_synth.errors import LeoSynthError

_EXPORTS = {"Extract": "leo_synth.api", "GenerateSummary": "leo_synth.api",
            "extract": "leo_synth.api", "generate": "leo_synth.api", "run_sql": "leo_synth.api",
            "LeoSynthError": "leo_synth.errors"}

__all__ = ["Extract", "GenerateSummary", "LeoSynthError", "__version__", "extract", "generate",
           "run_sql"]


def __getattr__(name: str) -> Any:
    """Load the API on first use, so ``leo-synth --help`` does not import pyarrow (PEP 562)."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'leo_synth' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The lazily loaded API too, for completion in notebooks."""
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})
