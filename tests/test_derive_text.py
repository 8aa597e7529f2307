"""Numbers as text, formatted once per distinct value, read exactly as numpy writes them."""

from __future__ import annotations

import numpy as np
import pytest

from leo_synth.relations.derive import as_text, distinct_text

SAMPLES = [
    np.array([0.0, -0.0, np.nan, 1.5, 1.5, 27.33, -np.inf, 1e20, 0.1 + 0.2]),
    np.array([3, 1, 3, -2, 10**12]),
    np.array([7, 7], dtype=np.int8),
    np.array([2.5, -0.0], dtype=np.float32),
    np.array([1.0]),
    np.array([], dtype=float),
    np.array([True, False]),
    np.array(["a", "bc", "a"]),
]


@pytest.mark.parametrize("values", SAMPLES)
def test_text_is_what_astype_str_writes(values: np.ndarray) -> None:
    text = as_text(values)
    expected = values.astype(str)
    assert text.dtype == expected.dtype
    assert text.tolist() == expected.tolist()
    distinct, index = distinct_text(values)
    assert distinct[index].tolist() == expected.tolist()


@pytest.mark.parametrize("sql_type", ["varchar(4)", "int", "smallint", "float", "decimal(5,1)"])
def test_taken_codes_are_the_rows_converted_one_by_one(sql_type: str) -> None:
    """A column of a few codes, converted once per code and taken, is the column every row of
    which is converted (a code that is no number is NULL in a numeric column)."""
    from types import SimpleNamespace

    import pyarrow as pa

    from leo_synth.relations.derive import take_codes
    from leo_synth.relations.fill import to_arrow
    from leo_synth.spec.types import parse_sql_type

    kind = parse_sql_type(sql_type)
    column = SimpleNamespace(spec=SimpleNamespace(type=kind))
    codes = np.array(["1", "2.5", "x", "40"] if kind.kind != "string" else ["Low", "", "High"],
                     dtype=object)
    index = np.random.default_rng(0).integers(0, len(codes), 50)
    null = index % 7 == 0
    for mask in (None, null):
        taken = take_codes(column, codes, index, mask)
        assert isinstance(taken, pa.Array)
        assert taken.equals(to_arrow(codes[index], kind, len(index), mask))
    assert take_codes(column, codes, index, null).null_count >= null.sum()
