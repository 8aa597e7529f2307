"""The trainer's kit: graded SQL exercises on a generated extract, with an answer key that is
recomputed from the extract itself (so it follows the seed and size), and grading of
participants' result files against that key."""
