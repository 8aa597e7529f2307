"""The error a T-SQL script problem raises: one line naming the script line."""

from __future__ import annotations

from leo_synth.errors import LeoSynthError


class ScriptError(LeoSynthError):
    """A problem with one statement of a script, reported as ``line N: message``."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
