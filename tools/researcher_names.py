"""List the column names ``leo_schema.md`` says researchers use, and measure how many exist.

    python tools/researcher_names.py --schema /work/shared/reference/leo_schema.md --write
    python tools/researcher_names.py            # the share found in the generated relations

``--schema`` reads the reference document (not part of the repository) and, with ``--write``,
records the names in ``schemas/reference/researcher_names.csv`` (checked in, like the VRF
field list): every backticked column name of sections 2 (the tables), 3 (keys and join
paths) and 4 (quirks), with its section. Templates are expanded (``{Autumn,Spring,Summer}``,
``_sum06/07/08``, ``aut07–09``, ``1..4``); tokens that are not column names (relation names,
code values, name prefixes, the FFT's own derived tables) are listed too, with the reason,
so the measure is explicit about what it leaves out.

Without ``--write`` the tool reports the share of the column names that exist in the
relations of the extract (Iteration 2, plus Iteration 1 for names the document gives for
Iteration 1), listing the missing ones. ``tests/test_physical_names.py`` asserts the share.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES_CSV = ROOT / "schemas" / "reference" / "researcher_names.csv"
FIELDS = ("name", "written", "section", "kind", "reason", "relation")

SECTION_RELATIONS = {
    "2.1": "learner_ae_id_to_*;education_records_lookup",
    "2.2": "leo_employment;leo_earnings;idbr_lookup;leo_self_assessment;leo_cjrs;leo_seiss",
    "2.3": "leo_benefit;leo_geography",
    "2.4": "plasc_*;spring_census_*;summer_census_*;autumn_census_*",
    "2.5": "pru_census_*;ap_census_*",
    "2.6": "absence_*;exclusions_*",
    "2.7": "eyfsp_*;ks1_*;ks2*;ks3*;ks4*;ks5*",
    "2.8": "plams_*",
    "2.9": "nccis_*",
    "2.10": "cin_*;cla_*",
    "2.11": "ypmad_*",
    "2.12": "learners;aims;lars",
    "2.13": "hesa_*",
    "2.14": "ucas_*",
}
"""The relations each table section is about (shell patterns, case ignored): a name given
there must exist in one of them. Names of sections 3 and 4 may be in any relation."""

VIEWS = {"pru_": "pru_census_2010_to_2013", "ap_": "ap_census_2008_to_2021",
         "cin_": "cin_2009_to_2021", "cla_": "cla_2006_to_2021", "nccis_": "nccis_2011_to_2021"}
"""The view FFT's code reads its lower-case ``pru_``, ``ap_``, ``cin_``... names from (§2.5,
§2.9, §2.10: "columns used"); such a name must exist in that view, not just somewhere."""

SECTIONS = ("## 2.", "### 2.", "## 3.", "### 3.", "## 4.", "### 4.")
"""Headings whose text is searched (tables and columns, keys, time conventions, quirks)."""

SLASHES = {
    "ethnicgroup_sum06/07/08": ["ethnicgroup_sum06", "ethnicgroup_sum07", "ethnicgroup_sum08"],
    "ethnicgroupminor_sum09/10": ["ethnicgroupminor_sum09", "ethnicgroupminor_sum10"],
    "ethnicgroupminor_aut10/11": ["ethnicgroupminor_aut10", "ethnicgroupminor_aut11"],
    "HE_XQLEV301/501/601": ["HE_XQLEV301", "HE_XQLEV501", "HE_XQLEV601"],
    "HE_XCAH01/02/03_n": ["HE_XCAH01_n", "HE_XCAH02_n", "HE_XCAH03_n"],
    "L_FullLevel2/3": ["L_FullLevel2", "L_FullLevel3"],
    "L_FullLevel2Ach/3Ach": ["L_FullLevel2Ach", "L_FullLevel3Ach"],
    "NCCIS_Year_11/12_Offer": ["NCCIS_Year_11_Offer", "NCCIS_Year_12_Offer"],
    "Reason_A/B/C": ["Reason_A", "Reason_B", "Reason_C"],
    "YPMAD_L1/L2/L3_at_19": ["YPMAD_L1_at_19", "YPMAD_L2_at_19", "YPMAD_L3_at_19"],
    "KS4_GCSE_ASTAR…G": [f"KS4_GCSE_{g}" for g in ("ASTAR", "A", "B", "C", "D", "E", "F", "G")],
}
"""Tokens with ``/`` alternatives, expanded as the document means them."""

NOT_COLUMNS = {
    "value": (
        "Abroad England Scotland Wales Unknown PupilsOnRoll PupilsNoLongerOnRoll SC_0708_AU "
        "AAT_yyyy_KS5 KS45_L23_yyyy NISVQ_yyyy ZPROG001 Latin1_General_BIN"),
    "relation name": (
        "Absence_YYYY_3term hesa_YYYY exclusions_table_1_YYYY PLAMS_Amended_YYYY "
        "KS1_1998_to_2019_and_2022 KS2Pupil_1996_to_2019_and_2022 LEO_Geography IDBR_LOOKUP "
        "EDUCATION_RECORDS_LOOKUP LEARNER_AE_ID_TO_PMR_LOOKUP LEARNER_AE_ID_TO_EDUKEY_LOOKUP "
        "KS4Pupil_2002_to_2014 KS4Pupil_2015_to_2021"),
    "name prefix or placeholder, not a column": (
        "ap_ cin_ cla_ nccis_ pl_ pru_ HE_ KS4_ KSn_ KSn_ACADYR KSn_PupilMatchingRefAnonymous "
        "spr sum aut YYYYYY PMR"),
    "the VRF's spelling, which researchers' code spells differently (physical_name_rules.csv)": (
        "LAEstab_[term][yy]_anon"),
    "the VRF's template; the multi-year view drops the suffix (PRU_PupilMatchingRefAnonymous)": (
        "PRU_PupilMatchingRefAnonymous_SPR[yy]"),
    "the VRF field reference; §2.13 spells the column HE_XINSTID01__ANON": "XINSTID01_ANON",
    "a code list (§2.8: sublevno codes); its columns are pl_Sublevno_Ref and pl_Sublevno_ATT": (
        "sublevno"),
    "an illustration of the suffix (§2.7), not in the VRF; KS4_GLEVEL2EM_PTQ_EE is": (
        "KS4_LEVEL2_EM_PTQ_EE"),
    "FFT's derived tables (fft.person_lookup, row numbering), not the extract": (
        "fft_person_id row_id multiplex pupil_matching_reference ilr_external_id leo_edukey"),
}
"""Backticked identifiers that are not columns of the extract, by reason."""

FRAGMENTS = ("Summer6th", "Annual")
"""Parts of a family of VRF column names (``TermlyReasonX_Summer6th_ab[yy]``), §2.6."""
_PLACEHOLDER_OR_SUFFIX = re.compile(r"\[|_$|_n$|[…*]|(?<=_)(spr|sum|aut|ab|ex)?(yy|YY)$")

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\[[a-z]+\][A-Za-z0-9_]*)*[…*]?[A-Za-z0-9_]*")


@dataclass(frozen=True)
class DocName:
    """A name found in the document: the expanded name, as written, where, and its kind."""

    name: str
    written: str
    section: str
    kind: str
    reason: str = ""
    relation: str = ""
    """The relations (``;``-separated shell patterns) the name must be in, when the document
    says which (its section, or the view FFT reads it from); empty: any relation."""


def _sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) of the searched sections."""
    parts = re.split(r"(?m)^(#{2,3} .*)$", text)
    out = []
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        if heading.startswith(SECTIONS):
            out.append((heading.lstrip("# ").split(" ", 1)[0], body))
    return out


def _expand(token: str, last_braces: list[str]) -> list[str]:
    """The names a backticked token stands for (empty when it names none).

    ``last_braces`` carries the previous ``{A,B}`` set and its suffix: ``X_{…}`` after
    ``Y_{A,B}_ab[yy]`` means ``X_A_ab[yy]``, ``X_B_ab[yy]``.
    """
    token = " ".join(token.split())
    if token in SLASHES:
        return SLASHES[token]
    if re.fullmatch(r"(LEO|LINK)\.\w+", token):  # a VRF table label (LEO.Employment)
        return []
    used = re.fullmatch(r"(\w+)\s*(?:=|>|<).*|\w+\((\w+),.*\)\S*|(\w+)\+", token)
    if used:  # a name in an expression: Compstatus=3, left(TaxYear,4)+1, everfsm_6_p_spr16+
        token = next(g for g in used.groups() if g)
    if "." in token and ".." not in token:  # table.column: the column
        token = token.rsplit(".", 1)[1]
    braces = re.search(r"\{([^}]*)\}", token)
    if braces:
        if "…" in braces.group(1) and last_braces:
            options, suffix = last_braces[:-1], last_braces[-1]
            token = token + suffix if token.endswith("}") else token
        else:
            options, suffix = braces.group(1).split(","), token[braces.end():]
            last_braces[:] = [*options, suffix]
        return [n for o in options for n in _expand(token.replace(braces.group(0), o), [])]
    dash = re.fullmatch(r"(.*?)(\d\d)–(\d\d)", token)
    if dash:
        return [f"{dash.group(1)}{y:02d}" for y in range(int(dash.group(2)),
                                                         int(dash.group(3)) + 1)]
    dots = re.fullmatch(r"(.*?)(\d+)\.\.(\d+)", token)
    if dots:
        return [f"{dots.group(1)}{i}" for i in range(int(dots.group(2)), int(dots.group(3)) + 1)]
    if not _IDENT.fullmatch(token):
        return []
    return [token]


def extract(text: str, relations: set[str], codes: set[str]) -> list[DocName]:
    """Every backticked name of the searched sections, expanded, first occurrence kept;
    ``relations`` (relation names, any case) and ``codes`` (values of the spec's code lists,
    e.g. ``JSA``, ``PERM``) are classified as not columns."""
    not_columns = {code.lower(): "code value" for code in codes}
    not_columns.update({name.lower(): reason for reason, names in NOT_COLUMNS.items()
                        for name in names.split()})
    not_columns.update({name.lower(): "relation name" for name in relations})
    seen: set[str] = set()
    out = []
    for section, body in _sections(text):
        braces: list[str] = []
        for written in re.findall(r"`([^`]+)`", body):
            for name in _expand(written, braces):
                if name.lower() in seen or not _looks_like_column(name):
                    continue
                seen.add(name.lower())
                reason = not_columns.get(name.lower(), "")
                if not reason and re.search(r"_\d{4}(…|_to_)", name):
                    reason = "relation name"
                view = next((v for p, v in VIEWS.items()
                             if name.startswith(p) and name == name.lower()),
                            SECTION_RELATIONS.get(section, ""))
                out.append(DocName(name, " ".join(written.split()), section,
                                   "not_column" if reason else "column", reason,
                                   "" if reason else view))
    return out


def _looks_like_column(name: str) -> bool:
    """Identifiers only: not suffix fragments (``_PTQ``), numbers or SQL types."""
    return not (name.startswith("_") or re.fullmatch(r"\d+|(var)?char|int|bigint|date|bit|binary",
                                                     name))


def pattern(name: str) -> re.Pattern[str]:
    """A case-insensitive regex for the physical names a documented name stands for.

    ``[term]`` is a collection code, ``yy``/``YY``/``[yy]`` two year digits; a trailing ``_``
    (``OnRoll_``) is the census suffix; ``_n`` a repeat number; ``…`` and ``*`` anything. A
    name written without any of these is a stem, as the document writes names after giving
    their prefix once (``ACADYR``, ``MonthNo``, ``EnrolStatus``, ``l1_overall``): it may carry
    a prefix and a collection suffix. A fragment (``Summer6th``) may sit anywhere in a name.
    """
    if name in FRAGMENTS:
        return re.compile(f".*{re.escape(name)}.*", re.IGNORECASE)
    if not _PLACEHOLDER_OR_SUFFIX.search(name):
        return re.compile(rf"(?:[A-Za-z0-9]+_)*{re.escape(name)}(?:_(?:spr|sum|aut|ab|ex)?\d\d)?",
                          re.IGNORECASE)
    text = name
    text = re.sub(r"_$", "_[term][yy]", text)
    text = re.sub(r"(?<=_)(spr|sum|aut|ab|ex)?(?:yy|YY)$", r"\1[yy]", text)
    out = ""
    for piece in re.split(r"(\[term\]|\[yy\]|_n$|…|\*)", text):
        out += {"[term]": "(?:spr|sum|aut)?", "[yy]": r"\d\d", "_n": r"_\d+", "…": ".*",
                "*": ".*"}.get(piece, re.escape(piece))
    return re.compile(out, re.IGNORECASE)


def read_names(path: Path = NAMES_CSV) -> list[DocName]:
    """The checked-in list."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [DocName(**row) for row in csv.DictReader(handle)]


def write_names(names: list[DocName], path: Path = NAMES_CSV) -> None:
    """Record the list (deterministic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FIELDS)
        for n in names:
            writer.writerow([n.name, n.written, n.section, n.kind, n.reason, n.relation])


def coverage(names: list[DocName], columns: dict[str, set[str]]
             ) -> tuple[list[DocName], list[DocName]]:
    """(found, missing) among the column names, against the physical column names of each
    relation (lower-case relation name -> column names)."""
    found, missing = [], []
    lowered = {rel.lower(): {c.lower() for c in cols} for rel, cols in columns.items()}
    anywhere = set().union(*lowered.values())
    for doc in names:
        if doc.kind != "column":
            continue
        pool = anywhere
        if doc.relation:
            patterns = doc.relation.lower().split(";")
            pool = set().union(*(cols for rel, cols in lowered.items()
                                 if any(fnmatch.fnmatchcase(rel, p) for p in patterns)))
        rx = pattern(doc.name)
        hit = doc.name.lower() in pool or any(rx.fullmatch(c) for c in pool)
        (found if hit else missing).append(doc)
    return found, missing


def physical_names(iterations: tuple[int, ...] = (1, 2)
                   ) -> tuple[set[str], dict[str, set[str]], set[str]]:
    """(relation names, column names per relation, code values) of the generated relations;
    a relation name of both iterations pools their columns."""
    from leo_synth.spec import load_catalog

    catalog = load_catalog()
    columns: dict[str, set[str]] = {}
    for it in iterations:
        for rel in catalog.relations(it):
            columns.setdefault(rel.name.lower(), set()).update(c.name for c in rel.columns)
    codes = {code for t in catalog.tables for c in t.columns for code in c.code_values}
    return set(columns), columns, codes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema", type=Path, help="leo_schema.md (to re-extract the names)")
    parser.add_argument("--write", action="store_true", help=f"write {NAMES_CSV.name}")
    args = parser.parse_args(argv)
    relations, columns, codes = physical_names()
    if args.schema:
        names = extract(args.schema.read_text(encoding="utf-8"), relations, codes)
        if args.write:
            write_names(names)
    else:
        names = read_names()
    found, missing = coverage(names, columns)
    total = len(found) + len(missing)
    left_out = sum(1 for n in names if n.kind != "column")
    print(f"{len(found)} of {total} documented researcher column names exist "
          f"({100 * len(found) / total:.1f}%); {left_out} other names are not columns")
    for doc in missing:
        where = f" in {doc.relation}" if doc.relation else ""
        print(f"  missing{where}: {doc.name} (§{doc.section}, written {doc.written!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
