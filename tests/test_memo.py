"""leo_synth/memo.py: a result per argument object, kept by identity."""

from __future__ import annotations

from leo_synth.memo import by_identity


def test_one_result_per_object_and_none_shared_by_equal_objects() -> None:
    calls: list[list[int]] = []

    @by_identity
    def total(values: list[int]) -> int:
        calls.append(values)
        return sum(values)

    first, equal = [1, 2], [1, 2]
    assert total(first) == total(first) == 3 and calls == [first]  # computed once
    first.append(4)  # (asked again, the object's answer is the one kept)
    assert total(first) == 3 and len(calls) == 1
    assert total(equal) == 3 and calls[-1] is equal  # an equal object: its own result
    assert set(total.cache) == {id(first), id(equal)}


def test_an_argument_is_kept_alive_so_its_id_is_never_another_objects() -> None:
    numbers = iter(range(1000))

    @by_identity
    def serial(value: object) -> int:
        return next(numbers)

    # each list is dropped at once by the caller: were it not kept, the next list would get
    # its id and the first list's answer
    assert [serial([]) for _ in range(100)] == list(range(100))
