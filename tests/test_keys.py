"""Pseudonymous keys: bijective, marked as synthetic, deterministic per seed."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from leo_synth.engine.keys import TABLE_LIMIT, FeistelPermutation, KeyMaker
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


def test_kept_keys_are_the_permutation_s(catalog) -> None:
    """Keys of small indexes come from a table kept per keyspace: they equal the permuted and
    formatted index, in any order, with repeats, slots and shapes, below, across and above
    the table's limit, and the table does not outgrow it."""
    kept = KeyMaker(catalog.keyspaces, 9)
    rng = np.random.default_rng(1)
    for space, fmt in kept.formats.items():
        limit = TABLE_LIMIT // fmt.slots
        for person in (np.arange(0), rng.integers(0, 300, 40), rng.integers(0, 5000, 60),
                       np.array([limit - 1, 3, limit - 1]), np.array([limit - 2, limit + 5]),
                       rng.integers(0, 10**7, 30)):
            slot = rng.integers(0, fmt.slots, len(person))
            made = kept.make(space, person, slot)
            fresh = KeyMaker(catalog.keyspaces, 9)
            index = person.astype(np.uint64) * np.uint64(fmt.slots) + slot.astype(np.uint64)
            direct = fresh._format(space, fresh.perms[space](index))
            assert made.dtype == direct.dtype and np.array_equal(made, direct), space
        assert len(kept.tables[space]) <= TABLE_LIMIT, space


def test_keys_depend_on_the_seed(catalog) -> None:
    a = KeyMaker(catalog.keyspaces, 1).make("pmr", np.arange(100))
    b = KeyMaker(catalog.keyspaces, 2).make("pmr", np.arange(100))
    assert (a != b).all()


def test_streams_are_pure_functions_of_seed_name_block() -> None:
    assert np.array_equal(stream(3, "x", 5).random(10), stream(3, "x", 5).random(10))
    assert not np.array_equal(stream(3, "x", 5).random(10), stream(3, "x", 6).random(10))
    assert not np.array_equal(stream(3, "x", 5).random(10), stream(3, "y", 5).random(10))
    assert not np.array_equal(stream(3, "x", 5).random(10), stream(4, "x", 5).random(10))
