"""An analysis of the synthetic extract run through ACRO, as a researcher runs it in the SRS.

In the SRS, tables leave only after output checking. ACRO (``pip install acro``) wraps the
pandas and statsmodels calls a researcher makes, checks every table as it is made (minimum
cell counts, dominance, zeros), records it, and ``finalise`` writes the outputs with a
results file the output checkers read. Practise here on leo-synth's extract:

    leo-synth generate --persons 20000 --out out/leo.sqlite
    python examples/acro_analysis.py --db out/leo.sqlite --out out/acro_outputs

The SQL is the SRS's (plain SQL over the SRS relation names); only the connection differs.
The output folder must not exist yet (ACRO will not overwrite one).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path

import acro
import pandas as pd

KS4_SQL = """
SELECT CASE WHEN KS4_FSM6 = 1 THEN 'disadvantaged' ELSE 'other' END AS disadvantage,
       KS4_GENDER AS sex,
       KS4_ATT8 AS att8,
       CASE WHEN KS4_L2BASICS_94 = 1 THEN 'grade 4+' ELSE 'below 4' END AS english_maths,
       CASE WHEN KS4_SENF IN ('E', 'S') THEN 'EHC plan' WHEN KS4_SENF IN ('K', 'A', 'P')
            THEN 'SEN support' ELSE 'no SEN' END AS sen
FROM KS4Pupil_2015_to_2021
WHERE KS4_ACADYR BETWEEN '2016/2017' AND '2020/2021' AND KS4_ATT8 IS NOT NULL
"""

EARNINGS_SQL = """
WITH pay AS (
  SELECT k.AE_ID, SUM(e.Earnings) AS earnings
  FROM leo_earnings e JOIN learner_ae_id_to_edukey_lookup k ON k.EDUKEY = e.Edukey
  WHERE e.TaxYear = 201819
  GROUP BY k.AE_ID HAVING SUM(e.Earnings) > 0),
home AS (
  SELECT k.AE_ID, MIN(g.GORNM) AS region
  FROM leo_geography g JOIN learner_ae_id_to_edukey_lookup k ON k.EDUKEY = g.Edukey
  WHERE g.TaxYear = 201819 AND g.GORNM IS NOT NULL
  GROUP BY k.AE_ID)
SELECT h.region, p.earnings FROM pay p JOIN home h ON h.AE_ID = p.AE_ID
"""


def analyse(db: Path, out: Path) -> dict[str, str]:
    """Make four tables through ACRO, finalise them into ``out``; each output's status."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        ks4 = pd.read_sql(KS4_SQL, conn)
        earnings = pd.read_sql(EARNINGS_SQL, conn)

    session = acro.ACRO(suppress=False)  # report what fails; suppress=True would mask it
    # 1. a frequency table: grade 4+ in English and maths by disadvantage (threshold, zeros)
    session.crosstab(ks4.disadvantage, ks4.english_maths)
    # 2. a magnitude table: mean Attainment 8 by disadvantage and sex (threshold, dominance)
    session.pivot_table(ks4, index="disadvantage", columns="sex", values="att8",
                        aggfunc="mean")
    # 3. mean earnings by region in 2018/19 (dominance matters for money)
    session.pivot_table(earnings, index="region", values="earnings", aggfunc="mean")
    # 4. English and maths by SEN: pupils with an EHC plan are few, so this one usually fails
    #    the threshold; the checker would refuse it until the groups are merged or suppressed
    session.crosstab(ks4.sen, ks4.english_maths)
    session.finalise(str(out), "json")
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {name: output["status"] for name, output in results["results"].items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a generated SQLite extract")
    parser.add_argument("--out", type=Path, required=True, help="ACRO's output folder (new)")
    args = parser.parse_args()
    if args.out.exists():
        parser.error(f"{args.out} exists; ACRO writes a new folder")
    for name, status in analyse(args.db, args.out).items():
        print(f"{name}: {status}")
    print(f"ACRO's record of every output and its checks: {args.out / 'results.json'}")


if __name__ == "__main__":
    main()
