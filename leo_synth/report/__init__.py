"""Calibration report: compute the published targets on a generated extract with SQL.

``config/calibration_targets.yaml`` lists the targets; ``families/`` holds the SQL of each
target family; :func:`leo_synth.report.evaluate.evaluate` computes and judges them, and
``command.report`` is the ``leo-synth report`` click command.
"""
