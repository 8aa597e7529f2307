"""leo-synth from Python: a small extract in memory, queried with DuckDB and pandas.

    python examples/api_quickstart.py            # 500 persons, seed 1
    python examples/api_quickstart.py 2000 7     # persons, seed

Run by the test suite (tests/test_api.py), so it keeps working.
"""

from __future__ import annotations

import sys

import leo_synth
from leo_synth.resources import example_file


def main(persons: int = 500, seed: int = 1) -> None:
    # Only the relations the example join reads: the census, the two lookups, employment.
    data = leo_synth.extract(persons=persons, seed=seed, tables=[
        "spring_census_2011", "learner_ae_id_to_pmr_lookup",
        "learner_ae_id_to_edukey_lookup", "leo_employment"])
    for name, table in data.tables.items():
        print(f"{name:<32} {table.num_rows:>8,} rows  {table.num_columns:>4} columns")

    # The same SQL you would run in the SRS, over the in-memory tables.
    connection = data.duckdb()
    sql = example_file("two_hop_join.sql").read_text(encoding="utf-8")
    print("\nEmployment of the spring 2011 census pupils (examples/two_hop_join.sql):")
    print(connection.sql(sql))

    # Or pandas: employment spells per person.
    spells = data.to_pandas("leo_employment").groupby("EduKey").size()
    print(f"employment spells per EDUKEY: median {spells.median():.0f}, max {spells.max()}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
