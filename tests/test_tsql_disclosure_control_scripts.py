"""`leo-synth sql`: the statistical disclosure control every SRS researcher does before an
output leaves the SRS (output checking), as SQL Server answers it on every backend: counts
rounded to the nearest 5, small counts suppressed and shown as ``'c'`` in a text column
beside numbers written as text, secondary suppression by window functions, percentages of
rounded counts, medians only for groups of ten or more, earnings rounded to the nearest 100,
``ROLLUP``/``CUBE``/``GROUPING SETS`` totals labelled by ``GROUPING``/``GROUPING_ID``, numbers
written by ``FORMAT``, ``STR``, ``CONVERT`` and ``CONCAT``, and a ``PIVOT`` of the cells.

Each script's answer is checked against the same figures worked out here from a plain query
of the backend (SQL Server's rounding: half away from zero)."""

from __future__ import annotations

import decimal
import math
from collections import defaultdict

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.command import run_text

CENSUS = "[NPD_i2].[2002237].[spring_census_2011]"
EARNINGS = "[LEO_i2].[2002237].[leo_earnings]"
D = decimal.Decimal


def _half_up(value: object, places: str = "0.1") -> D:
    """``value`` rounded as SQL Server's ``ROUND`` and ``CAST`` to a decimal round it."""
    return D(str(value)).quantize(D(places), rounding=decimal.ROUND_HALF_UP)


def _raw(db: str, text: str) -> list[tuple]:
    """The rows of a plain query, its integers as integers."""
    return [tuple(int(v) if isinstance(v, int | float) and v == int(v) else v for v in row)
            for row in run_text(db, text, "tsql", None, False)[-1].rows]


def _to_5(n: int) -> int:
    """``CAST(ROUND(n / 5.0, 0) * 5 AS INT)``."""
    return int(_half_up(D(n) / 5, "1")) * 5


CELLS = f"""SELECT EthnicGroupMajor_spr11 AS eth, FSMeligible_spr11 AS fsm, COUNT(*) AS n
INTO #cells
FROM {CENSUS}
WHERE Gender_spr11 IN ('M', 'F') AND EthnicGroupMajor_spr11 IS NOT NULL
GROUP BY EthnicGroupMajor_spr11, FSMeligible_spr11

;WITH ranked AS (
    SELECT eth, fsm, n,
        SUM(CASE WHEN n < 10 THEN 1 ELSE 0 END) OVER (PARTITION BY eth) AS primary_in_row,
        ROW_NUMBER() OVER (PARTITION BY eth ORDER BY n, fsm) AS rank_in_row
    FROM #cells
)
SELECT eth, fsm, n,
    CASE WHEN n < 10 THEN 'c'
         WHEN primary_in_row = 1 AND rank_in_row = 2 THEN 'c'
         ELSE CAST(CAST(ROUND(n / 5.0, 0) * 5 AS INT) AS VARCHAR(10)) END AS shown,
    CASE WHEN n < 10 THEN '[c]'
         ELSE FORMAT(CAST(ROUND(n / 5.0, 0) * 5 AS INT), 'N0') END AS formatted
INTO #out
FROM ranked

SELECT eth, [0] AS not_fsm, [1] AS fsm, CONCAT(ISNULL([0], '-'), ' | ', ISNULL([1], '-')) AS both
FROM (SELECT eth, CAST(fsm AS VARCHAR(1)) AS fsm, shown FROM #out) s
PIVOT (MAX(shown) FOR fsm IN ([0], [1])) p
ORDER BY eth"""


def _cells(db: str) -> dict[str, dict[int, int]]:
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for eth, fsm, n in _raw(db, f"""SELECT EthnicGroupMajor_spr11, FSMeligible_spr11, COUNT(*)
FROM {CENSUS} WHERE Gender_spr11 IN ('M', 'F') AND EthnicGroupMajor_spr11 IS NOT NULL
GROUP BY EthnicGroupMajor_spr11, FSMeligible_spr11"""):
        counts[eth][int(fsm)] = n
    return counts


@pytest.mark.parametrize("backend", BACKENDS)
def test_rounded_cells_with_primary_and_secondary_suppression_pivoted(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    expected = []
    for eth, row in sorted(_cells(db).items()):
        suppressed = {fsm for fsm, n in row.items() if n < 10}
        if len(suppressed) == 1 and len(row) > 1:  # the next smallest cell goes too
            suppressed.add(sorted(row.items(), key=lambda item: (item[1], item[0]))[1][0])
        shown = {fsm: "c" if fsm in suppressed else str(_to_5(n)) for fsm, n in row.items()}
        expected.append((eth, shown.get(0), shown.get(1),
                         f"{shown.get(0, '-')} | {shown.get(1, '-')}"))
    assert any(row[1] == "c" or row[2] == "c" for row in expected)
    assert _rows(db, CELLS) == expected
    formatted = _rows(db, CELLS.rsplit("\n\nSELECT eth, [0]", 1)[0]
                      + "\nSELECT eth, fsm, formatted FROM #out ORDER BY eth, fsm")
    assert formatted == [(eth, fsm, "[c]" if n < 10 else f"{_to_5(n):,}")
                         for eth, row in sorted(_cells(db).items())
                         for fsm, n in sorted(row.items())]


TOTALS = f"""SELECT CASE WHEN GROUPING(EthnicGroupMajor_spr11) = 1 THEN 'Total'
        ELSE EthnicGroupMajor_spr11 END AS eth,
    CASE WHEN GROUPING(Gender_spr11) = 1 THEN 'All' ELSE Gender_spr11 END AS sex,
    GROUPING_ID(EthnicGroupMajor_spr11, Gender_spr11) AS gid,
    COUNT(*) AS n
INTO #t
FROM {CENSUS}
WHERE Gender_spr11 IN ('M', 'F') AND EthnicGroupMajor_spr11 IS NOT NULL
GROUP BY ROLLUP(EthnicGroupMajor_spr11, Gender_spr11)

SELECT t.eth, t.sex, t.gid, t.n,
    CASE WHEN t.n < 10 THEN 'c' ELSE
        CONCAT(CAST(ROUND(t.n / 5.0, 0) * 5 AS INT), ' (',
               CAST(100.0 * ROUND(t.n / 5.0, 0) * 5 / (ROUND(tot.n / 5.0, 0) * 5)
                    AS DECIMAL(5,1)), '%)') END AS n_pct,
    LTRIM(STR(100.0 * t.n / tot.n, 6, 1)) AS pct_str,
    CONVERT(VARCHAR(20), ROUND(100.0 * t.n / tot.n, 2)) AS pct_conv,
    CAST(CAST(100.0 * t.n / tot.n AS DECIMAL(5,1)) AS VARCHAR(10)) + '%' AS pct_cast
FROM #t t CROSS JOIN (SELECT n FROM #t WHERE gid = 3) tot
ORDER BY t.gid, t.eth, t.sex"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_rollup_totals_with_percentages_of_rounded_counts_as_text(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    by_sex = {(eth, sex): n for eth, sex, n in _raw(db, f"""SELECT EthnicGroupMajor_spr11,
    Gender_spr11, COUNT(*) FROM {CENSUS}
WHERE Gender_spr11 IN ('M', 'F') AND EthnicGroupMajor_spr11 IS NOT NULL
GROUP BY EthnicGroupMajor_spr11, Gender_spr11""")}
    by_eth: dict[str, int] = defaultdict(int)
    for (eth, _), n in by_sex.items():
        by_eth[eth] += n
    total = sum(by_eth.values())
    cells = ([(eth, sex, 0, n) for (eth, sex), n in sorted(by_sex.items())]
             + [(eth, "All", 1, n) for eth, n in sorted(by_eth.items())]
             + [("Total", "All", 3, total)])

    def row(eth: str, sex: str, gid: int, n: int) -> tuple:
        share = D(100) * n / total
        rounded = D(100) * _to_5(n) / _to_5(total)
        return (eth, sex, gid, n,
                "c" if n < 10 else f"{_to_5(n)} ({_half_up(rounded)}%)",
                str(_half_up(repr(float(share)))),
                str(_half_up(share, "0.01").quantize(D("0.000000000001"))),
                f"{_half_up(share)}%")

    assert _rows(db, TOTALS) == [row(*cell) for cell in cells]


MEDIANS = f"""SELECT e.Main_Section AS section, e.TaxYear AS yr, e.Earnings AS pay,
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY e.Earnings)
        OVER (PARTITION BY e.Main_Section, e.TaxYear) AS med,
    COUNT(*) OVER (PARTITION BY e.Main_Section, e.TaxYear) AS people
INTO #m
FROM {EARNINGS} e
WHERE e.TaxYear IN (201617, 201718) AND e.Earnings > 0 AND e.Main_Section IS NOT NULL

SELECT DISTINCT section, yr,
    CAST(ROUND(people / 5.0, 0) * 5 AS INT) AS people_r,
    CASE WHEN people < 10 THEN 'c' ELSE FORMAT(ROUND(med, -2), 'N0') END AS median_text,
    CASE WHEN people < 10 THEN 'c'
         ELSE CONVERT(VARCHAR(20), CAST(ROUND(med, -2) AS INT)) END AS median_int,
    CASE WHEN people < 10 THEN NULL ELSE LTRIM(STR(med, 10, 0)) END AS med_str
FROM #m
ORDER BY section, yr"""


def _median(values: list[int]) -> float:
    ordered = sorted(values)
    middle = (len(ordered) - 1) / 2  # (PERCENTILE_CONT: between the two middle values)
    low, high = ordered[math.floor(middle)], ordered[math.ceil(middle)]
    return low + (high - low) * (middle - math.floor(middle))


@pytest.mark.parametrize("backend", BACKENDS)
def test_medians_shown_only_for_groups_of_ten_rounded_to_the_nearest_100(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    pay: dict[tuple[str, int], list[int]] = defaultdict(list)
    for section, yr, earnings in _raw(db, f"""SELECT Main_Section, TaxYear, Earnings
FROM {EARNINGS}
WHERE TaxYear IN (201617, 201718) AND Earnings > 0 AND Main_Section IS NOT NULL"""):
        pay[(section, yr)].append(earnings)
    expected = []
    for (section, yr), values in sorted(pay.items()):
        med = _median(values)
        hundreds = int(_half_up(D(repr(med)) / 100, "1")) * 100
        small = len(values) < 10
        expected.append((section, yr, _to_5(len(values)),
                         "c" if small else f"{hundreds:,}", "c" if small else str(hundreds),
                         None if small else str(int(_half_up(repr(med), "1")))))
    assert any(row[3] == "c" for row in expected) and any(row[3] != "c" for row in expected)
    assert _rows(db, MEDIANS) == expected


SHARES = f""";WITH base AS (
    SELECT CASE WHEN Gender_spr11 = 'F' THEN 'Girls' ELSE 'Boys' END AS sex,
        CASE FSMeligible_spr11 WHEN 1 THEN 'FSM' ELSE 'Not FSM' END AS fsm
    FROM {CENSUS}
    WHERE Gender_spr11 IN ('M', 'F')
), totals AS (
    SELECT ISNULL(sex, 'All pupils') AS sex, ISNULL(fsm, 'All') AS fsm,
        GROUPING_ID(sex, fsm) AS level, COUNT(*) AS n
    FROM base
    GROUP BY CUBE(sex, fsm)
)
SELECT sex, fsm, level,
    CASE WHEN n < 10 THEN 'c' ELSE CAST(CAST(ROUND(n / 5.0, 0) * 5 AS INT) AS VARCHAR(10)) END
        AS n_out,
    CAST(100.0 * n / SUM(CASE WHEN level = 0 THEN n END) OVER () AS DECIMAL(5,1)) AS pct,
    STR(100.0 * n / MAX(n) OVER (), 5, 1) + '%' AS share_str,
    RANK() OVER (PARTITION BY level ORDER BY n DESC) AS rk
FROM totals
ORDER BY level, sex, fsm"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_cube_levels_with_shares_and_ranks(backend: str,
                                           request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    counts = {(sex, fsm): n for sex, fsm, n in _raw(db, f"""SELECT
    CASE WHEN Gender_spr11 = 'F' THEN 'Girls' ELSE 'Boys' END,
    CASE FSMeligible_spr11 WHEN 1 THEN 'FSM' ELSE 'Not FSM' END, COUNT(*)
FROM {CENSUS} WHERE Gender_spr11 IN ('M', 'F') GROUP BY
    CASE WHEN Gender_spr11 = 'F' THEN 'Girls' ELSE 'Boys' END,
    CASE FSMeligible_spr11 WHEN 1 THEN 'FSM' ELSE 'Not FSM' END""")}
    levels: dict[int, dict[tuple[str, str], int]] = {0: dict(counts), 1: {}, 2: {}, 3: {}}
    for (sex, fsm), n in counts.items():
        levels[1][(sex, "All")] = levels[1].get((sex, "All"), 0) + n
        levels[2][("All pupils", fsm)] = levels[2].get(("All pupils", fsm), 0) + n
    total = sum(counts.values())
    levels[3][("All pupils", "All")] = total
    largest = max(max(level.values()) for level in levels.values())
    expected = []
    for level, cells in levels.items():
        for (sex, fsm), n in sorted(cells.items()):
            rank = 1 + sum(1 for other in cells.values() if other > n)
            share = f"{_half_up(repr(float(D(100) * n / largest)))}".rjust(5) + "%"
            expected.append((sex, fsm, level, "c" if n < 10 else str(_to_5(n)),
                             float(_half_up(D(100) * n / total)), share, rank))
    assert _rows(db, SHARES) == expected
