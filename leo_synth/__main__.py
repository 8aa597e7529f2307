"""``python -m leo_synth``: the same command line as ``leo-synth``."""

from leo_synth.cli import main

if __name__ == "__main__":
    main(prog_name="leo-synth")
