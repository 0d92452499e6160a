"""Which works of a plan use the water that water-saving irrigation frees, in words for the
入选理由 of both sides.

Water-saving irrigation returns little benefit of its own and ranks last in its year; its
worth is the water it frees: ``saving_credit`` of every 万m³ saved counts as new ecological
water in its county (its water account; the whole city with ``saving_scope = "city"``:
optimizer/water_accounts.py). Where an account's water-using works need more than the
account has of its own in a year (allocation + the lake's source − the lake's delivery), the
rest is that credited saving: those works fit only because of it, and cutting the list from
the bottom (the savings) would strand them. Everything here is read from the plan: the
chosen rows' ``water_<year>`` and ``saving_<year>`` and the plan's water accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from outputs.labels import county_names, figure_text
from outputs.library import significant
from region.io import Region
from region.scenario import Scenario

#: 万m³ below which an account's shortfall is rounding, not a reliance.
TOLERANCE = 1e-6
CITY = "city"
#: The plan's water-account fields read here (optimizer/water_accounts.py account_table).
ACCOUNT_COLUMNS = ("year", "account", "demand", "allocation", "lake_source", "lake_target",
                   "saving_credited")


def _pools(lists: pd.DataFrame, accounts: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """Each row's pool of water: its county's account, or the city's when savings may
    cross county lines or the accounts are the city's."""
    keys = set(accounts["account"].astype(str))
    if scenario.water.saving_scope == "city" or keys == {CITY}:
        return pd.Series(CITY, index=lists.index)
    return lists["county"].astype(str)


def _shortfall(accounts: pd.DataFrame, pooled: bool) -> pd.DataFrame:
    """Per pool and year: the works' demand, the water the pool has of its own, the credited
    savings, and the shortfall the credited savings cover (demand − own water, ≥ 0)."""
    own = accounts["allocation"] + accounts["lake_source"] - accounts["lake_target"]
    # Each account's shortfall first: only credited savings cross county lines, so one
    # county's unused allocation does not cover another's works.
    frame = accounts.assign(own=own, short=(accounts["demand"] - own).clip(lower=0.0),
                            pool=CITY if pooled else accounts["account"].astype(str))
    return frame.groupby(["pool", "year"])[["demand", "own", "saving_credited",
                                            "short"]].sum()


@dataclass(frozen=True)
class PoolLinks:
    """In one pool of water: the year of its largest shortfall with the figures in words
    (Chinese, English), which rows rely on credited savings, and for each saving row the
    rows that use the water it frees (masks over the rows of the lists)."""

    place: tuple[str, str]
    figures: tuple[str, str]
    relying: np.ndarray
    helped: dict[int, np.ndarray]


def saving_links(lists: pd.DataFrame, accounts: pd.DataFrame | None,
                 scenario: Scenario | None, region: Region) -> list[PoolLinks]:
    """Per pool of water where works rely on credited savings and savings serve them: the
    savings, the works each serves and the figures (read from the plan's water accounts and
    the rows' ``water_<year>``/``saving_<year>``); empty when nothing relies on savings."""
    if scenario is None or accounts is None or accounts.empty or lists.empty \
            or not set(ACCOUNT_COLUMNS) <= set(accounts.columns):
        return []
    years = sorted(int(y) for y in accounts["year"].unique())
    water = lists[[f"water_{y}" for y in years]].to_numpy(float)
    saving = lists[[f"saving_{y}" for y in years]].to_numpy(float) \
        if all(f"saving_{y}" in lists for y in years) else np.zeros_like(water)
    pools = _pools(lists, accounts, scenario).to_numpy()
    table = _shortfall(accounts, pooled=bool((pools == CITY).all()))
    counties = county_names(region)
    links = []
    for pool in dict.fromkeys(pools):
        mine = pools == pool
        short = np.array([table.at[(pool, y), "short"] if (pool, y) in table.index else 0.0
                          for y in years])
        relying = mine & ((water > 0) & (short > TOLERANCE)[None, :]).any(axis=1)
        savers = mine & (saving > 0).any(axis=1)
        if not relying.any() or not savers.any():
            continue
        place = ("全市", "the city") if pool == CITY else counties.get(pool, (pool, pool))
        t = int(np.argmax(short))
        row = table.loc[(pool, years[t])]
        own = row["demand"] - row["short"]  # what the accounts' own water gives the works
        # the figures as the report's water table and the Summary write them (1,125, not 1,120)
        figures = (f"{years[t]}年{place[0]}工程需水 {figure_text(row['demand'])} 万m³，自有可用 "
                   f"{figure_text(own)} 万m³，其余 {figure_text(row['short'])}"
                   f" 万m³ 由节水计入的水量补足",
                   f"in {years[t]} the works there need {figure_text(row['demand'])} 万m³ where "
                   f"{place[1]} has {figure_text(own)} of its own; the other "
                   f"{figure_text(row['short'])} come from credited savings")
        helped = {}
        for i in np.flatnonzero(savers):
            first = int(lists["start_year"].iat[i])
            serves = relying & (water > 0)[:, [y >= first for y in years]].any(axis=1)
            if serves.any():
                helped[int(i)] = serves
        links.append(PoolLinks(place, figures, relying, helped))
    return links


def saving_packages(lists: pd.DataFrame, links: list[PoolLinks]) -> pd.Series:
    """Per row of ``lists``: the number of its water package (the savings of a pool that
    serve works relying on them, and those works), or -1 outside any package."""
    package = np.full(len(lists), -1)
    for number, link in enumerate(links):
        members = np.zeros(len(lists), dtype=bool)
        for i, serves in link.helped.items():
            members[i] = True
            members |= serves
        package[members] = number
    return pd.Series(package, index=lists.index)


def water_reliance(lists: pd.DataFrame, accounts: pd.DataFrame | None,
                   scenario: Scenario | None, region: Region) -> list[list[tuple[str, str]]]:
    """Per row of ``lists`` (with county, start_year, action_zh/en, parcel_id and
    ``water_<year>``/``saving_<year>`` of the plan), the (Chinese, English) sentences on
    credited water: on a saving, which works use the water it frees; on a work that needs
    more water than its account has of its own, that it relies on the credited savings."""
    said: list[list[tuple[str, str]]] = [[] for _ in range(len(lists))]
    links = saving_links(lists, accounts, scenario, region)
    if not links:
        return said
    credit = scenario.water.saving_credit
    years = sorted(int(y) for y in accounts["year"].unique())
    saving = lists[[f"saving_{y}" for y in years]].to_numpy(float) \
        if all(f"saving_{y}" in lists for y in years) else np.zeros((len(lists), len(years)))
    for link in links:
        place, figures = link.place, link.figures
        for i, serves in link.helped.items():
            zh, en = _works(lists[serves])
            credited = float(saving[i].max()) * credit
            said[i].append((
                f"节水的{credit:.0%}（{significant(credited)} 万m³/年）计入{place[0]}新增生态用水，"
                f"供{zh}使用（{figures[0]}）；削减节水项目会使这些措施缺水",
                f"{credit:.0%} of the water it saves ({significant(credited)} 万m³/yr) counts "
                f"as new ecological water in {place[1]} and serves {en} ({figures[1]}); "
                f"cutting the water-saving works would leave them short of water"))
        for i in np.flatnonzero(link.relying):
            said[i].append((f"用水依赖{place[0]}节水灌溉计入的节水量（{figures[0]}）",
                            f"its water relies on the savings credited in {place[1]} by "
                            f"water-saving irrigation ({figures[1]})"))
    return said


def _works(rows: pd.DataFrame) -> tuple[str, str]:
    """"人工造林（地块 9553/2031年、10216/2033年）": the works by action, each parcel with
    its start year."""
    zh, en = [], []
    for (action_zh, action_en), group in rows.groupby(["action_zh", "action_en"], sort=False):
        items = [f"{int(p)}/{int(y)}" for p, y in
                 zip(group["parcel_id"], group["start_year"], strict=True)]
        zh.append(f"{action_zh}（地块 {'、'.join(f'{i}年' for i in items)}）")
        en.append(f"{action_en} (parcel/start {', '.join(items)})")
    return "、".join(zh), "; ".join(en)
