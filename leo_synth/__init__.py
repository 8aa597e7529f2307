"""leo-synth: a synthetic, de-identified copy of the LEO standard extract."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("leo-synth")
except PackageNotFoundError:  # running from a checkout without installation
    __version__ = "0.0.0+local"
