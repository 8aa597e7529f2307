"""The data dictionary of the extract, rendered from the specs alone.

:func:`build_dictionary` turns a catalog into a neutral :class:`Dictionary` once; the renderers
(:func:`render_markdown`, :func:`render_html`, :func:`render_json`, :func:`render_csvw`) format
it. ``leo-synth dictionary`` (:mod:`leo_synth.dictionary.command`) writes them to files.
"""

from leo_synth.dictionary.csvw import render_csvw
from leo_synth.dictionary.html import render_html
from leo_synth.dictionary.jsondoc import render_json
from leo_synth.dictionary.markdown import render_markdown
from leo_synth.dictionary.model import Dictionary, build_dictionary

FORMATS = ("markdown", "html", "json", "csvw")

__all__ = [
    "FORMATS",
    "Dictionary",
    "build_dictionary",
    "render_csvw",
    "render_html",
    "render_json",
    "render_markdown",
]
