"""Every module of the package imports on its own, as the first of the package's modules a
process imports: an import cycle that the command line's order of imports hides (``rewrites``
-> ``sqlite_functions`` -> ``float_texts`` -> ``integer_average`` -> ``rewrites``) breaks
``import leo_synth.tsql.rewrites`` in a user's script or a test."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

CHECK = """
import importlib, pkgutil, sys
import leo_synth
names = sorted(m.name for m in pkgutil.walk_packages(leo_synth.__path__, "leo_synth.")
               if not m.name.endswith("__main__"))
failed = []
for name in names:
    for loaded in [m for m in sys.modules if m.startswith("leo_synth.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except ImportError as exc:
        failed.append(f"{name}: {exc}")
print(len(names))
print("\\n".join(failed))
"""


def test_every_module_imports_first() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    count, *failed = done.stdout.strip().split("\n")
    assert int(count) > 150 and not [line for line in failed if line]
