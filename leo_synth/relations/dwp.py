"""DWP relations: benefit spells and residence (geography) per tax year."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.common import edukeys_at, in_labour_data
from leo_synth.relations.registry import builder
from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import tax_year_start
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.residence import COUNTRIES
from leo_synth.simulation.text import zfill
from leo_synth.spec.model import Relation
from leo_synth.spec.years import tax_year_code

FIRST_GEOGRAPHY_YEAR = 2004
COUNTRY_CODES = {"England": "E92000001", "Wales": "W92000004", "Scotland": "S92000003",
                 "Northern Ireland": "N92000002", "Abroad": None, "Unknown": None}


@per_block
def benefit_spells(life: LifeCourse) -> Frame:
    """The benefit spells of the extract: persons in the labour data, one spell per person,
    start and type (two claims of one type opening on the same day, a rare coincidence of the
    claim processes, are one spell in DWP's data)."""
    spells = life.benefits
    spells = spells.take(in_labour_data(life)[spells["person"]])
    _, first = np.unique(np.rec.fromarrays([spells["person"], spells["start"], spells["type"]]),
                         return_index=True)
    return spells.take(np.sort(first))


@builder("dwp.benefits", provides=["edukey", "start_date", "end_date", "benefit_type",
                                   "out_of_work"])
def benefits(life: LifeCourse, relation: Relation) -> Frame:
    """One row per benefit spell (per EDUKEY); the out-of-work flag ships with the type."""
    spells = benefit_spells(life)
    flags = life.ctx.params["benefits.out_of_work"]
    codes, inverse = np.unique(spells["type"], return_inverse=True)
    return Frame(
        edukey=edukeys_at(life, spells["person"], spells["start"]),
        start_date=spells["start"], end_date=spells["end"], benefit_type=spells["type"],
        out_of_work=np.array([flags[c] for c in codes], dtype=np.int64)[inverse],
    )


@builder("dwp.geography", provides=[
    "edukey", "tax_year", "coa", "la_anon", "la_code", "la_name", "pcon", "pcon_name", "gor",
    "gor_name", "country", "country_name",
])
def geography(life: LifeCourse, relation: Relation) -> Frame:
    """One residence per EDUKEY and tax year (2004/05 on)."""
    res = life.residence
    res = res.take(in_labour_data(life)[res["person"]] & (res["tax_year"] >= FIRST_GEOGRAPHY_YEAR))
    pools = life.ctx.pools
    country = np.array(COUNTRIES)[res["country"]]
    in_england = res["country"] == 0
    la = res["la"]
    region = pools.las["region"][la]
    pcon = pools.output_areas["pcon"][res["oa"]]
    la_anon = life.ctx.keys.make("la", la, 0)
    codes = np.array([COUNTRY_CODES[c] or "" for c in COUNTRIES])[res["country"]]
    outside = ~in_england
    # Each LA's code and name made once, not per row.
    every_la = np.arange(len(pools.las))
    la_codes = np.char.add("E0", zfill((6000000 + every_la).astype(str), 7))
    la_names = np.char.add("Local authority ", (every_la + 1).astype(str))
    return Frame(
        edukey=edukeys_at(life, res["person"], tax_year_start(res["tax_year"])),
        tax_year=tax_year_code(res["tax_year"]),
        coa=Masked(pools.output_areas["coa"][res["oa"]], outside),
        la_anon=Masked(la_anon, outside),
        la_code=Masked(la_codes[la], outside),
        la_name=Masked(la_names[la], outside),
        pcon=Masked(pools.constituencies["code"][pcon], outside),
        pcon_name=Masked(pools.constituencies["name"][pcon], outside),
        gor=Masked(pools.regions["code"][region], outside),
        gor_name=Masked(pools.regions["name"][region], outside),
        country=Masked(codes, codes == ""),
        country_name=country,
    )
