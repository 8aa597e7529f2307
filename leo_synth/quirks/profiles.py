"""The profile names (kept apart from the quirks so the CLI starts without loading them)."""

PROFILES = ("clean", "realistic", "messy")
DEFAULT_PROFILE = "realistic"
