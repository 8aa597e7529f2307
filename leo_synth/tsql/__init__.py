"""T-SQL scripts, as researchers write them in the SRS, run against any leo-synth output.

``script`` splits a script into batches and statements (with their line numbers),
``unsupported`` refuses what cannot be translated before anything runs, ``names`` maps SRS
three-part names to the target's relations, ``translate`` turns each statement into the
target's dialect with sqlglot plus documented rewrites, ``targets`` opens SQLite, DuckDB,
Parquet and PostgreSQL outputs, ``runner`` executes a script and ``output`` shows or writes
its result sets.
"""
