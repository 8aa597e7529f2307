"""Relations are filled in groups of columns, yet every drawn column keeps its own stream."""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from leo_synth.engine.rng import keyed_uniforms, stream_keys, value_uniforms
from leo_synth.relations.derive import BATCHED_DERIVATIONS
from leo_synth.relations.fill import (
    _CodeDraws,
    _text_numbers,
    _YearLookup,
    build_batch,
    to_arrow,
)
from leo_synth.simulation.frame import Frame, Masked
from leo_synth.spec.model import Catalog
from leo_synth.spec.physical import arrow_schema
from leo_synth.spec.types import parse_sql_type


def test_a_streams_uniforms_do_not_depend_on_the_streams_drawn_with_it() -> None:
    keys = stream_keys(7, ["fill:t:a", "fill:t:b", "fill:t:c"])
    together = keyed_uniforms(keys, 3, 1000)
    np.testing.assert_array_equal(keyed_uniforms(keys[1:2], 3, 1000)[0], together[1])
    np.testing.assert_array_equal(keyed_uniforms(keys[[2, 0]], 3, 500)[1], together[0, :500])
    assert not np.array_equal(keyed_uniforms(keys, 4, 1000), together)  # another block
    assert not np.array_equal(keyed_uniforms(stream_keys(8, ["fill:t:a"]), 3, 1000)[0],
                              together[0])  # another seed


def test_value_uniforms_are_a_function_of_the_rows_values() -> None:
    """Rows with equal values draw alike wherever they stand (any block, order or relation);
    another value, another stream key or another seed draws otherwise; the draws look uniform."""
    key, other = stream_keys(7, ["per:KS4_NEW_TYPE", "per:KS4_ADMPOL"])
    urn = np.array([f"SYN{i % 300:05d}" for i in range(6000)])
    year = np.arange(6000) % 7
    drawn = value_uniforms(key, [urn])
    first = {u: d for u, d in zip(urn[::-1], drawn[::-1], strict=True)}
    assert all(first[u] == d for u, d in zip(urn, drawn, strict=True))  # one draw per URN
    order = np.random.default_rng(1).permutation(len(urn))
    np.testing.assert_array_equal(value_uniforms(key, [urn[order]]), drawn[order])
    assert len(set(drawn.tolist())) == 300
    assert not np.array_equal(value_uniforms(other, [urn]), drawn)
    assert not np.array_equal(value_uniforms(stream_keys(8, ["per:KS4_NEW_TYPE"])[0], [urn]),
                              drawn)
    by_year = value_uniforms(key, [urn, year])
    assert len(set(by_year.tolist())) == len(set(zip(urn.tolist(), year.tolist(), strict=True)))
    np.testing.assert_array_equal(value_uniforms(key, [urn, year])[:10], by_year[:10])
    many = value_uniforms(key, [np.arange(20_000)])
    assert many.min() >= 0 and many.max() < 1 and abs(many.mean() - 0.5) < 0.01


def test_keyed_uniforms_look_uniform_and_independent() -> None:
    values = keyed_uniforms(stream_keys(1, [f"s{i}" for i in range(50)]), 0, 20_000)
    assert values.min() >= 0 and values.max() < 1
    assert abs(values.mean() - 0.5) < 0.002 and abs(values.var() - 1 / 12) < 0.001
    counts = np.histogram(values, bins=20, range=(0, 1))[0]
    assert counts.min() > 0.97 * values.size / 20
    corr = np.corrcoef(values)[np.triu_indices(50, 1)]
    assert np.abs(corr).max() < 0.04  # no two streams move together
    lagged = np.corrcoef(values[:, :-1].ravel(), values[:, 1:].ravel())[0, 1]
    assert abs(lagged) < 0.01  # nor do neighbouring values of one stream


def test_code_draws_follow_each_columns_weights_and_stay_in_its_codes() -> None:
    draws = _CodeDraws()
    draws.add(0, ["a", "b"], np.array([0.9, 0.1]))
    draws.add(1, ["c", "d", "e"], np.array([1.0, 1.0, 2.0]))
    uniforms = keyed_uniforms(stream_keys(3, ["x", "y"]), 0, 40_000)
    uniforms[:, 0] = 0.0  # the extremes land in the column's own codes
    uniforms[:, 1] = np.nextafter(1.0, 0.0)
    picks = draws.picks(uniforms)
    values = np.asarray(draws.values)
    assert set(values[picks[0]]) == {"a", "b"} and set(values[picks[1]]) == {"c", "d", "e"}
    assert abs((values[picks[0]] == "a").mean() - 0.9) < 0.01
    assert abs((values[picks[1]] == "e").mean() - 0.5) < 0.01


def test_a_drawn_columns_values_do_not_depend_on_the_other_columns(catalog: Catalog) -> None:
    # (Draws keyed by the builder's attributes, ``per``, need those attributes: they are
    # tested with the frames that hold them, test_value_uniforms_are_a_function_of_...)
    # (Few catalogue columns are drawn now, so columns with a code list or a range are made
    # draws here: the plan draws them as it draws the catalogue's.)
    def free(col) -> bool:
        return not col.spec.fill.per

    def as_draw(col):
        fill = dataclasses.replace(col.spec.fill, kind="draw", attr=None, value=None,
                                   derive=None, params=())
        return dataclasses.replace(col, spec=dataclasses.replace(col.spec, fill=fill))

    relation = next(rel for rel in catalog.relations(2)
                    if any(col.spec.fill.derive in BATCHED_DERIVATIONS and free(col)
                           for col in rel.columns))
    drawable = [as_draw(col) for col in relation.columns if free(col) and (
                col.spec.codes or col.spec.value_range is not None)
                and col.spec.fill.derive not in BATCHED_DERIVATIONS][:12]
    drawn = drawable + [col for col in relation.columns if free(col)
                        and col.spec.fill.derive in BATCHED_DERIVATIONS]
    assert len(drawable) >= 6
    frame = Frame(x=np.zeros(300))
    whole = build_batch(dataclasses.replace(relation, columns=tuple(drawn)), frame, 11, 2)
    some = build_batch(dataclasses.replace(relation, columns=tuple(drawn[1::3])), frame, 11, 2)
    for col in drawn[1::3]:
        assert some.column(col.name).equals(whole.column(col.name)), col.name
    again = build_batch(dataclasses.replace(relation, columns=tuple(drawn)), frame, 11, 3)
    varied = [col.name for col in drawn
              if pc.count_distinct(whole.column(col.name)).as_py() > 1]
    assert varied and not all(again.column(n).equals(whole.column(n)) for n in varied)


def test_a_relation_without_rows_is_each_columns_empty_array(catalog: Catalog) -> None:
    """(A small run's many views without a row skip the columns' conversions.)"""
    relations = catalog.relations(2)
    for relation in relations:
        batch = build_batch(relation, Frame(x=np.zeros(0)), 11, 0)
        assert batch.num_rows == 0 and batch.schema.equals(arrow_schema(relation)), relation.name
        for col, array in zip(relation.columns, batch.columns, strict=True):
            assert array.equals(to_arrow(np.zeros(0), col.spec.type, 0)), col.name
    assert len(relations) > 180


def test_a_column_null_in_every_row_is_nulls_of_its_type() -> None:
    """(The unused _1 .. _40 slots of the wide exclusion tables: no per-type conversion.)"""
    for text, values in (("int", np.arange(3)), ("varchar(4)", np.array(["a", "b", "c"])),
                         ("numeric(12,2)", np.ones(3)), ("date", np.zeros(3, "datetime64[D]"))):
        sql_type = parse_sql_type(text)
        for masked, nulls in ((Masked(values, np.ones(3, dtype=bool)), None),
                              (values, np.ones(3, dtype=bool))):
            array = to_arrow(masked, sql_type, 3, nulls)
            assert array.type == sql_type.arrow_type() and array.null_count == 3, text
        half = to_arrow(Masked(values, np.array([True, False, True])), sql_type, 3)
        assert half.null_count == 2 and half.type == sql_type.arrow_type(), text


def test_fixed_width_text_converts_to_what_pyarrow_makes_of_it() -> None:
    """(ASCII 'U' and 'S' arrays are built from their buffers: the same values, NULL slots and
    buffers as pyarrow's own conversion, which ends a value at its first NUL.)"""
    rng = np.random.default_rng(5)
    samples = [np.array(["Y", "N", "N"]), np.array(["AB12", "CD", "", "EEEE"]),
               np.array([b"ABCDEFGHI", b"AB", b""]), np.array(["é", "a"]),
               np.array([b"\xc3\xa9", b"a"]), np.array(["a\x00b", "ab\x00", "c"]),
               np.array(["x" * 40, "y"]), np.array(["", ""]), np.array([], dtype="U3"),
               np.array(["AB", "C"], dtype=">U2")]
    for sample in samples:
        for size in (50, 1200):  # (below and above the rows worth a gather)
            values = sample[rng.integers(0, len(sample), size)] if len(sample) else sample
            for nulls in (None, rng.random(len(values)) < 0.3):
                expected = pa.array(values, type=pa.binary() if values.dtype.kind == "S"
                                    else pa.string(), mask=nulls).cast(pa.string())
                got = to_arrow(values, parse_sql_type("varchar(40)"), len(values), nulls)
                got.validate(full=True)
                assert got.equals(expected), (values.dtype, size, nulls is not None)
                assert [bytes(b) if b else b"" for b in got.buffers()[1:]] == [
                    bytes(b) if b else b"" for b in expected.buffers()[1:]], values.dtype


def test_dates_and_times_convert_to_what_pyarrow_makes_of_them() -> None:
    """(Built from their integers: the same values and NULLs as pyarrow's own conversion,
    NaT included, which pyarrow reads as NULL.)"""
    rng = np.random.default_rng(3)
    days = np.datetime64("1990-01-01") + rng.integers(-20000, 20000, 500)
    for values in (days, days.astype("datetime64[s]") + 3599, days[:0],
                   np.array(["2001-02-03", "NaT"], dtype="datetime64[D]")):
        for text, unit in (("date", "D"), ("datetime", "s")):
            sql_type = parse_sql_type(text)
            for nulls in (None, rng.random(len(values)) < 0.3):
                expected = pa.array(values.astype(f"datetime64[{unit}]"),
                                    type=sql_type.arrow_type(), mask=nulls)
                got = to_arrow(values, sql_type, len(values), nulls)
                got.validate(full=True)
                assert got.equals(expected), (values.dtype, text, nulls is not None)


def test_object_numbers_convert_as_pandas_coerces_them() -> None:
    """(Arrow converts plain numbers; text, decimals and integers beyond a float's exact range
    go through pandas, which made every such column before.)"""
    import decimal

    import pandas as pd

    samples = [[1, None, -3], [1.5, None, float("nan"), -0.0], ["12", None, "x"],
               [decimal.Decimal("1.5"), None], [2**60, 1], [None, None], [np.int64(3), None]]
    for sample in samples:
        values = np.array(sample, dtype=object)
        coerced = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
        for text in ("bigint", "float", "numeric(12,2)"):
            sql_type = parse_sql_type(text)
            got = to_arrow(values, sql_type, len(values))
            assert got.equals(to_arrow(coerced, sql_type, len(values))), (sample, text)
            assert got.null_count == np.isnan(coerced).sum()


def test_text_numbers_read_as_numpy_reads_them() -> None:
    """(Whole-number text is parsed by Arrow: the same floats as numpy's, signed zero
    included; other text, hexadecimal and blanks among it, is numpy's to read or refuse.)"""
    samples = [["62020", "-3", "+4", "007", "-0"], ["123456789012345", "-999999999999999"],
               [" 5", "6"], ["1.5", "2"], ["1_000"], ["inf", "nan"], ["99999999999999999999"],
               ["0x10"], [""], ["ab"], []]
    for sample in samples:
        for kind in ("U", "S"):
            values = np.array(sample, dtype=kind)
            try:
                expected = values.astype(float)
            except ValueError:
                with pytest.raises(ValueError):
                    _text_numbers(values)
                continue
            got = _text_numbers(values)
            assert got.dtype == np.float64, sample
            np.testing.assert_array_equal(got, expected)
            np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))


def test_integer_attributes_convert_alike_one_by_one_or_together(catalog: Catalog) -> None:
    """(A relation's integer columns are converted together, per width and numpy type:
    each column the array to_arrow makes of it alone, of integers or floats (NaN NULL, halves
    rounded to even), masked or not, all NULL or none; a value out of a column's range is that
    column's error.)"""
    relation = next(rel for rel in catalog.relations(2)
                    if sum(col.spec.fill.kind == "attr" and col.spec.type.kind == "integer"
                           and col.spec.type.integer_bits < 64 for col in rel.columns) >= 4
                    and rel.year is not None)
    columns = tuple(col for col in relation.columns
                    if col.spec.fill.kind == "attr" and col.spec.type.kind == "integer")
    rng = np.random.default_rng(9)
    rows = 700
    values = {}
    for k, col in enumerate(columns):
        ints = rng.integers(-100, 100, rows).astype((np.int64, np.int32, np.uint8,
                                                     np.float64)[k % 4])
        if ints.dtype.kind == "f":
            ints[rng.random(rows) < 0.2] = np.nan
            ints[:4] = (0.5, 1.5, -2.5, -0.0)
        mask = (None, rng.random(rows) < 0.3, np.ones(rows, dtype=bool),
                np.zeros(rows, dtype=bool), None)[k % 5]
        values[col.attribute] = ints if mask is None else Masked(ints, mask)
    subset = dataclasses.replace(relation, columns=columns)
    batch = build_batch(subset, Frame(values), 1, 0)
    for col in columns:
        alone = to_arrow(values[col.attribute], col.spec.type, rows)
        batch.column(col.name).validate(full=True)
        assert batch.column(col.name).equals(alone), col.name
        assert batch.column(col.name).null_count == alone.null_count
    wide = values[columns[1].attribute]
    big = np.full(rows, 2**40) if columns[1].spec.type.integer_bits < 64 else None
    if big is not None:
        values[columns[1].attribute] = big if not isinstance(wide, Masked) else Masked(
            big, np.zeros(rows, dtype=bool))
        with pytest.raises(ValueError, match=columns[1].name):
            build_batch(subset, Frame(values), 1, 0)


_GROUP_SAMPLES = {
    "string": [np.array(["Y", "N"]), np.array(["AB12", "CD", "", "EEEE"]),
               np.array([b"ABC", b"A", b""]), np.array(["é", "a"]), np.array(["a\x00b", "c"]),
               np.array(["\u0141b", "a"]),  # (not ASCII, though its low byte is "A")
               np.array(["x" * 40, "y"]), np.array(["", ""]), np.array(["AB", "C"], dtype=">U2"),
               np.array([b"\xc3\xa9", b"a"]), np.array(["ABCDEFGHIJ"]),
               np.array([3, -20, 0, 123456789]), np.array([7, 8], dtype=np.int16)],
    "float": [np.array([0.5, -0.0, np.nan, 1e20]), np.array([3, -2, 0]),
              np.array([True, False]), np.array([1.5, 2.25], dtype=np.float32)],
    "date": [np.array(["2001-02-03", "1999-12-31"], dtype="datetime64[D]"),
             np.array(["2001-02-03T23:59:59"], dtype="datetime64[s]"),
             np.array(["2001-02-03", "NaT"], dtype="datetime64[D]")],
}


@pytest.mark.parametrize("kind", sorted(_GROUP_SAMPLES))
def test_columns_of_a_kind_convert_alike_one_by_one_or_together(catalog: Catalog,
                                                               kind: str) -> None:
    """(Text, float and date columns are converted in groups: each column the array
    to_arrow makes of it alone, text with the same buffers, whatever its values (ASCII or
    not, a NUL inside, wider than the text converted together, other byte order, integers),
    masked or not, all NULL or none.)"""
    def attributes(rel):
        return [col for col in rel.columns if col.spec.fill.kind == "attr"]

    relation = max((rel for rel in catalog.relations(2) if rel.year is not None),
                   key=lambda rel: len(attributes(rel)))
    sql_type = parse_sql_type({"string": "varchar(40)", "float": "float", "date": "date"}[kind])
    columns = tuple(dataclasses.replace(col, spec=dataclasses.replace(col.spec, type=sql_type))
                    for col in attributes(relation)[:40])  # (the attributes, of this type)
    samples = _GROUP_SAMPLES[kind]
    assert len(columns) >= 2 * len(samples)
    rng = np.random.default_rng(8)
    for rows in (50, 1100):  # (text: below and above the rows to_arrow leaves to pyarrow)
        values = {}
        for k, col in enumerate(columns):
            sample = samples[k % len(samples)]
            picked = sample[rng.integers(0, len(sample), rows)]
            mask = (None, rng.random(rows) < 0.3, np.ones(rows, dtype=bool),
                    np.zeros(rows, dtype=bool), None)[k % 5]
            values[col.attribute] = picked if mask is None else Masked(picked, mask)
        batch = build_batch(dataclasses.replace(relation, columns=columns), Frame(values), 1, 0)
        for col in columns:
            alone = to_arrow(values[col.attribute], col.spec.type, rows)
            got = batch.column(col.name)
            got.validate(full=True)
            assert got.equals(alone) and got.null_count == alone.null_count, (col.name, rows)
            if kind == "string" and alone.null_count < rows:
                assert [bytes(b) for b in got.buffers()[1:]] == [
                    bytes(b) for b in alone.buffers()[1:]], (col.name, rows)


def test_float_text_is_what_astype_str_writes() -> None:
    """(Floats in a text column are formatted once per distinct value: the text astype(str)
    gives every row, -0.0 and NaN included, NULL where masked.)"""
    rng = np.random.default_rng(4)
    values = rng.choice([0.5, 1.0, -0.0, 0.0, np.nan, 1e20, 2.25, -7.125], 3000)
    for nulls in (None, rng.random(3000) < 0.4):
        got = to_arrow(values, parse_sql_type("varchar(50)"), 3000, nulls)
        got.validate(full=True)
        assert got.equals(pa.array(values.astype(str), type=pa.string(), mask=nulls))


def test_year_lookup_is_np_isin() -> None:
    """(Rows in or out of a view's years are found by a table over the rows' span of years:
    the rows np.isin finds, for years outside the span, empty sets and spans too wide.)"""
    rng = np.random.default_rng(0)
    for years in (rng.integers(1990, 2022, 5000), np.zeros(0, np.int64), np.array([2005] * 3),
                  rng.integers(0, 10**6, 100), rng.integers(1990, 2022, 50).astype(np.int32),
                  np.array([-5, 3, 7])):
        lookup = _YearLookup(years)
        for chosen in (frozenset(range(2000, 2010)), frozenset(), frozenset({1990, 2021, 3000}),
                       frozenset({-5, 7, -1})):
            expected = np.isin(years, np.fromiter(chosen, dtype=np.int64))
            np.testing.assert_array_equal(lookup.inside(chosen), expected)
