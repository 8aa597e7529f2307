"""Attribute values that carry their own NULL mask (defined with the Frame they live in)."""

from leo_synth.simulation.frame import Masked

__all__ = ["Masked"]
