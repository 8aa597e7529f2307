"""The one exception type that the command line turns into a one-line message."""


class LeoSynthError(Exception):
    """A problem caused by the user's input or environment, reported without a traceback."""
