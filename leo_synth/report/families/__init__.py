"""Target families: each module registers the SQL definitions of one group of targets."""
