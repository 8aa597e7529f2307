"""Quirks: the real extract's mess, injected on purpose and recorded in an answer key.

After a relation's batch is built (the ``clean`` extract), :func:`apply.apply_quirks` runs
the quirks that touch it (duplicate records, blank strings, sentinels, impossible dates ...)
at the rates of the run's profile, each drawing from its own keyed stream per (quirk,
relation, block), and returns the defects it made; the ledger relation ``_leo_synth_defects``
records them, so applying it (:func:`ledger.restore`) gives back the clean rows.
"""
