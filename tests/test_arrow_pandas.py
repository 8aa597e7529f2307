"""``leo-synth generate`` keeps pyarrow from importing pandas (``arrow_pandas``), and pandas
imported after all, later in the process, still converts as it does without that."""

from __future__ import annotations

import subprocess
import sys

AFTER_A_RUN = """
import sys
import numpy as np
import pyarrow as pa
from leo_synth.arrow_pandas import arrow_without_pandas

arrow_without_pandas()
# what a run does: numpy in and out, Python objects in and out
pa.array(np.arange(3)).to_numpy()
pa.array(np.array([1.0, None], dtype=object), from_pandas=True).to_pylist()
pa.array([1, None]).to_numpy(zero_copy_only=False)
assert "pandas" not in sys.modules
import pandas as pd

print(pa.array(pd.Series([1.0, None, 3.0])).null_count, pa.array(pd.Categorical(["a"])).type,
      pa.table({"x": [1]}).to_pandas().shape)
"""


def test_no_pandas_in_a_run_and_pandas_imported_after_converts_as_usual() -> None:
    result = subprocess.run([sys.executable, "-c", AFTER_A_RUN], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # NaN in a Series is NULL and a Categorical a dictionary: pyarrow knows pandas again
    assert result.stdout.split() == ["1", "dictionary<values=string,", "indices=int8,",
                                     "ordered=0>", "(1,", "1)"]


def test_nothing_changes_once_pandas_is_imported() -> None:
    import pandas as pd  # noqa: F401 (imported, as in a session that uses pandas)

    from leo_synth.arrow_pandas import arrow_without_pandas

    before = list(sys.meta_path)
    arrow_without_pandas()
    assert sys.meta_path == before


def test_object_numbers_read_as_pandas_reads_them() -> None:
    """``fill._object_numbers`` (objects to a numeric column) replaced pandas' ``to_numeric``."""
    from decimal import Decimal

    import numpy as np
    import pandas as pd

    from leo_synth.relations.fill import _object_numbers

    for values in ([None, 15.0, None], [None, 1, None], ["3", "2", None], ["9991", "12"],
                   [None, None], [1.5, np.nan, None], [True, False], [1, "2"], ["x", "3"],
                   ["3.25", "-4", "1e3"], [np.int64(3), None], [np.float64(2.5), 7],
                   ["+3", "007", "-0", None], ["2.675", "0.1"], [2**53 + 1, None],
                   [Decimal("2.675"), None], [None, "9" * 16]):
        objects = np.array(values, dtype=object)
        expected = pd.to_numeric(pd.Series(objects), errors="coerce").to_numpy(dtype=float)
        assert np.array_equal(_object_numbers(objects), expected, equal_nan=True), values
