"""Prose shared by the human-readable renderers.

Strings here use one inline markup only: backticks around code (names, codes, values). The
Markdown renderer emits them as they are; the HTML renderer turns the spans into ``<code>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leo_synth.dictionary.linkage import Route
from leo_synth.dictionary.model import (
    TERM_LABELS,
    ColumnDoc,
    Dictionary,
    JoinDoc,
    KeyspaceDoc,
    QuirkDoc,
    TemplateDoc,
    VariantDoc,
)
from leo_synth.spec.years import academic_year_label, tax_year_code

TITLE = "LEO extract data dictionary"

MAX_LISTED = 8
"""Longest list of relation names written out in full in a sentence."""

NO_COLUMNS = "No columns are specified for this table yet."

INLINE_CODES = 4
"""Code lists up to this length are shown in the column table; longer ones are folded."""

SRS_NAMES = ("In the SRS each relation is a view reached by a three-part name, "
             "`[database].[project].[relation]`: the SRS database below, the project number "
             "as schema (shown as `2002237`, the number in public researcher code; "
             "`generate --srs-project` sets yours) and the relation.")


def code(text: object) -> str:
    """A backtick code span (double backticks when the text has one)."""
    value = str(text)
    if "`" in value:
        return f"`` {value} ``"
    return f"`{value}`"


_CODE_SPAN = re.compile(r"``\s(.+?)\s``|`([^`]+)`")


def spans(text: str) -> list[tuple[bool, str]]:
    """Split marked-up text into (is_code, text) pieces."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for match in _CODE_SPAN.finditer(text):
        if match.start() > pos:
            out.append((False, text[pos:match.start()]))
        out.append((True, match.group(1) if match.group(1) is not None else match.group(2)))
        pos = match.end()
    if pos < len(text):
        out.append((False, text[pos:]))
    return out


def intro(d: Dictionary) -> list[str]:
    """The opening paragraphs."""
    return [
        "LEO (Longitudinal Education Outcomes) links people's school, college and university "
        "records from the Department for Education with their employment, earnings and benefit "
        "records from HMRC and DWP. Accredited researchers use its standard extract in the ONS "
        "Secure Research Service (SRS); leo-synth generates a synthetic copy with the same "
        "relations, columns, types, code lists and pseudonymous keys, filled with simulated "
        "people.",
        f"This dictionary describes Iteration {d.iteration} and is generated from the specs in "
        "`schemas/` (`leo-synth dictionary`); do not edit it by hand.",
    ]


def calendars() -> list[str]:
    """One line per calendar of the extract."""
    return [
        f"Academic years run 1 September to 31 August; NPD `AcademicYear` values look like "
        f"`{academic_year_label(2010)}`.",
        f"Tax years run 6 April to 5 April; `TaxYear` columns hold `YYYYYY` integers such as "
        f"`{tax_year_code(2018)}` (6 April 2018 to 5 April 2019).",
        f"Years in this dictionary are written `{academic_year_label(2010, short=True)}`: the "
        "academic or tax year starting in 2010, by the table's calendar. Relation names use the "
        "end year (`spring_census_2011` is the spring census of 2010/11).",
        "Tables that are not year-based (the lookups) show no years.",
    ]


def calendar_label(calendar: str) -> str:
    """A table's calendar in words."""
    return {
        "academic": "academic years (1 September to 31 August)",
        "tax": "tax years (6 April to 5 April)",
    }.get(calendar, "not year-based")


def names(items: tuple[str, ...] | list[str], limit: int = MAX_LISTED) -> str:
    """``a``, ``b`` and N more."""
    shown = [code(x) for x in items[:limit]]
    rest = len(items) - len(shown)
    return ", ".join(shown) + (f" and {rest} more" if rest > 0 else "")


def carriers(k: KeyspaceDoc) -> str:
    """The relations carrying a keyspace, or a note that none does."""
    return names([name for name, _ in k.carriers]) if k.carriers else "no relation"


def variant_line(v: VariantDoc) -> str:
    """Relations of one variant, long runs as ``first`` .. ``last``."""
    parts = [code(r.first) if r.count == 1 else
             f"{code(r.first)} .. {code(r.last)}" for r in v.runs]
    total = sum(r.count for r in v.runs)
    facts = []
    if total > 1:
        facts.append(f"{total} relations")
    if v.years_label:
        facts.append(v.years_label)
    line = ", ".join(parts) + (f" ({'; '.join(facts)})" if facts else "")
    if v.missing_label:
        line += (f"; missing {v.missing_label}: no {names(v.missing_names)}")
    return line


@dataclass(frozen=True)
class ColumnLayout:
    """The columns of a template's column table: terms and request only where some column has
    them."""

    show_terms: bool
    show_request: bool

    @classmethod
    def of(cls, t: TemplateDoc) -> ColumnLayout:
        return cls(any(c.terms is not None for c in t.columns),
                   any(c.request is not None for c in t.columns))

    def header(self) -> list[str]:
        return ["Column", "Type", "Nullable", "Years", *["Terms"] * self.show_terms,
                *["Request"] * self.show_request, "Fill", "Description", "Values"]

    def facts(self, col: ColumnDoc) -> list[str]:
        """The plain-text cells between a column's type and its description."""
        cells = ["yes" if col.nullable else "no", col.years_label]
        if self.show_terms:
            cells.append(terms_label(col))
        if self.show_request:
            cells.append(col.request or "")
        cells.append(fill_label(col))
        return cells


def fill_label(col: ColumnDoc) -> str:
    """The column's fill class, with its rule (or stated reason) when there is one."""
    return f"{col.fill_class}: {col.fill_rule}" if col.fill_rule else col.fill_class


def terms_label(col: ColumnDoc) -> str:
    """Collection terms of a column restricted to some terms, else ''."""
    if col.terms is None:
        return ""
    return ", ".join(TERM_LABELS.get(t, t) for t in col.terms)


def described(col: ColumnDoc) -> str:
    """A column's description, followed by its physical names where rules give them."""
    if not col.spellings:
        return col.description
    parts = []
    for sp in col.spellings:
        where = sp.years_label + (f" ({', '.join(TERM_LABELS.get(t, t) for t in sp.terms)})"
                                  if sp.terms is not None else "")
        what = f"`{sp.name}`" if sp.name else "absent"
        parts.append(f"{what} in {where} (source: {sp.source})")
    return f"{col.description} Physical names as researchers meet them: {'; '.join(parts)}."


def values_label(col: ColumnDoc) -> str:
    """Key, reference and range facts for the column table (codes are shown separately)."""
    parts = []
    if col.keyspace:
        parts.append(f"key: {col.keyspace}")
    if col.references:
        parts.append(f"references {code(col.references)}")
    if col.value_range is not None:
        low, high = (_number(x) for x in col.value_range)
        parts.append(f"range {low} to {high}")
    return "; ".join(parts)


def _number(value: float) -> str:
    """A range bound without a trailing ``.0``."""
    return str(int(value)) if float(value).is_integer() else str(value)


def code_item(value: str, label: str | None) -> str:
    """``code`` label."""
    return code(value) + (f" {label}" if label else "")


def join_line(j: JoinDoc) -> str:
    """How one column joins."""
    if j.kind == "references":
        return f"{code(j.column)} references {code(j.target)}."
    if j.kind == "referenced":
        return f"{code(j.column)} is referenced by {names(j.also_in)}."
    space = f"the {j.keyspace} id space"
    if j.kind == "home":
        return f"{code(j.column)} is the home of {space}: it lists every key."
    if j.target:
        return f"{code(j.column)} is in {space}; resolve it in {code(j.target)}."
    where = f" also in {names(j.also_in)}" if j.also_in else " in no other relation"
    return f"{code(j.column)} is in {space}, which has no lookup;{where}."


def route_line(r: Route) -> str:
    """A join route as a chain of lookup columns: ``a.X`` → ``a.Y`` = ``b.Y`` → ``b.Z``."""
    chain = " = ".join(f"{code(f'{h.relation}.{h.enter}')} → {code(f'{h.relation}.{h.leave}')}"
                       for h in r.hops)
    if r.start is not None and r.hops:
        chain = f"{code(r.start)} = {chain}"
    return f"{r.source} to {r.target}: {chain}"


def quirk_line(q: QuirkDoc) -> str:
    """A quirk of a template, with its realistic and messy rates (a ``QuirkDoc``)."""
    return (f"{code(q.code)} {q.realistic:.2%} / {q.messy:.2%}: {q.summary} "
            f"(leo_schema.md 4.3 item {q.item})")
