"""``leo-synth check-output``: the output checks (statistical disclosure control) a table must
pass before it leaves the SRS, built on ACRO's rules and configuration."""
