"""Pseudonymous keys: bijective, marked as synthetic, deterministic per seed."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from leo_synth.engine.keys import FeistelPermutation, KeyMaker
from leo_synth.engine.rng import stream


@given(bits=st.integers(min_value=2, max_value=16), key=st.binary(min_size=1, max_size=8))
@settings(max_examples=60, deadline=None)
def test_feistel_is_a_permutation_of_its_domain(bits: int, key: bytes) -> None:
    perm = FeistelPermutation(bits, key)
    values = perm(np.arange(1 << bits, dtype=np.uint64))
    assert sorted(values.tolist()) == list(range(1 << bits))


@given(first=st.integers(min_value=0, max_value=2**25), count=st.integers(1, 2000))
@settings(max_examples=40, deadline=None)
def test_keys_are_unique_for_any_person_range(catalog_keys, first: int, count: int) -> None:
    persons = np.arange(first, first + count)
    for space in ("pmr", "edukey", "external_id", "recordid"):
        keys = catalog_keys.make(space, np.repeat(persons, 2), np.tile([0, 1], count))
        assert len(np.unique(keys)) == 2 * count, space
    assert len(np.unique(catalog_keys.make("ae_id", persons))) == count


def test_keys_carry_the_synthetic_marker(catalog_keys) -> None:
    persons = np.arange(5000)
    pmr = catalog_keys.make("pmr", persons).astype(str)
    edukey = catalog_keys.make("edukey", persons).astype(str)
    assert all(len(k) == 18 and k.startswith("SYN") for k in pmr)
    assert all(len(k) == 14 and k.startswith("SYN") for k in edukey)
    ae_id = catalog_keys.make("ae_id", persons)
    assert ((ae_id >= 9_000_000_000_000_000_000) & (ae_id < 9_072_057_594_037_927_936)).all()
    assert (catalog_keys.make("recordid", persons, 3) < 0).all()
    assert (catalog_keys.make("recordid", persons, 31) >= -(2**31)).all()


def test_every_keyspace_carries_its_declared_marker(catalog, catalog_keys) -> None:
    """Each id space, at its first and last slot, has the marker its format declares."""
    persons = np.arange(3000)
    for space in catalog.keyspaces.values():
        style, bits = space.param("format"), int(space.param("bits"))
        for slot in (0, int(space.param("slots")) - 1):
            keys = catalog_keys.make(space.name, persons, slot)
            if style == "base32":
                prefix, width = str(space.param("prefix")), int(space.param("width"))
                assert prefix.startswith("SYN"), space.name
                assert all(len(k) == width and k.startswith(prefix) for k in keys.astype(str)), \
                    space.name
            elif style == "offset":
                offset = int(space.param("offset"))
                assert offset >= 9 * 10**18, space.name
                assert ((keys >= offset) & (keys - offset < 2**bits)).all(), space.name
            else:
                assert style == "negative", space.name
                assert ((keys < 0) & (keys >= -(2**bits))).all(), space.name


def test_keys_depend_on_the_seed(catalog) -> None:
    a = KeyMaker(catalog.keyspaces, 1).make("pmr", np.arange(100))
    b = KeyMaker(catalog.keyspaces, 2).make("pmr", np.arange(100))
    assert (a != b).all()


def test_streams_are_pure_functions_of_seed_name_block() -> None:
    assert np.array_equal(stream(3, "x", 5).random(10), stream(3, "x", 5).random(10))
    assert not np.array_equal(stream(3, "x", 5).random(10), stream(3, "x", 6).random(10))
    assert not np.array_equal(stream(3, "x", 5).random(10), stream(3, "y", 5).random(10))
    assert not np.array_equal(stream(3, "x", 5).random(10), stream(4, "x", 5).random(10))


@given(batches=st.lists(st.lists(st.integers(min_value=0, max_value=3000), max_size=50),
                        min_size=1, max_size=4))
@settings(max_examples=30, deadline=None)
def test_member_keys_are_the_keys_make_gives(catalog, batches: list[list[int]]) -> None:
    keys = KeyMaker(catalog.keyspaces, 11)  # a fresh table per example, grown by the batches
    for members in batches:
        for space, slot in (("la", 0), ("la", 1), ("school", 0), ("provider", 0)):
            index = np.asarray(members, dtype=np.int64)
            got, want = keys.member_keys(space, index, slot), keys.make(space, index, slot)
            assert got.dtype == want.dtype and (got == want).all(), (space, slot)
