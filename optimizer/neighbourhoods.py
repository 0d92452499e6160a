"""Schedule-aware neighbourhoods for the support polish (optimizer/heuristics.py).

The polish frees the options the LP or the incumbent uses and solves that sub-MIP exactly;
each neighbourhood here frees more, in the order :func:`polish_neighbourhoods` gives for
the time there is:

* **Filler parcels**: every option of a capacity-limited action on a parcel smaller than
  the action's median parcel. Capacity rows are knapsacks (e.g. enclosure: 28.7 km² a year
  of mostly 5-km² parcels); the LP fills each year exactly with fractions, an integer plan
  only with whole parcels, so the small ones are what fills the remainder. On the Turpan
  baseline this frees ~4,300 of ~94,000 options and lifts the plan from 5.2606 (support
  and neighbouring years) to 5.2690-5.2769 in 30-55 s (benchmarks/results.md). It holds
  the support, so the polish starts with it: 5.2757 / 5.2758 in 44 s (two seeds) against
  5.2733 / 5.2742 after a first sub-MIP over the support alone.
* **Neighbouring years**: the same parcel-action started one year earlier or later.
* **One capacity-limited action** (:class:`optimizer.heuristics.Exchange`), last, one per
  such action in the order the problem's pairs list them (the options' order): all its
  options free, every other integer column fixed at the incumbent. The widenings above
  keep what the support does not hold at zero; this one re-packs an action's per-year
  capacity knapsacks across all its parcels and years. On the Turpan baseline, done in
  turn from the shipped plan (7.3960), it reached 7.4041 (benchmarks/results.md).

A neighbourhood maps the mask of freed columns to a wider one; options are the model's
first ``problem.n_options`` columns.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from optimizer.formulation import action_median_area
from optimizer.heuristics import Exchange, Widen, support_only
from optimizer.problem import Problem


def neighbouring_years(problem: Problem) -> Widen:
    """Widen a set of options to the same parcel-action started one year earlier or later."""
    n_years = len(problem.years)
    year_index = problem.option_year - problem.years[0]

    def widen(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
        wide = mask.copy()
        options = np.flatnonzero(mask[:problem.n_options])
        for step in (-1, 1):  # options are laid out pair by pair, year by year
            ok = (year_index[options] + step >= 0) & (year_index[options] + step < n_years)
            target = options[ok] + step
            same_pair = problem.option_pair[target] == problem.option_pair[options[ok]]
            wide[target[same_pair]] = True
        return wide

    return widen


def filler_options(problem: Problem) -> NDArray[np.bool_]:
    """Options of capacity-limited actions on parcels below the action's median area (the
    parcels the capacity count cut in optimizer/formulation.py does not count)."""
    pairs = problem.pairs
    if "capacity_km2_per_yr" not in pairs.columns:
        return np.zeros(problem.n_options, bool)
    area = pairs["area_km2"].to_numpy(float)
    limited = pairs["capacity_km2_per_yr"].notna().to_numpy()
    small = area < action_median_area(area, pairs["action"].to_numpy())
    return (limited & small)[problem.option_pair]


def adding(options: NDArray[np.bool_]) -> Widen:
    """Widen a mask of columns by ``options`` (a mask over the option columns)."""

    def widen(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
        wide = mask.copy()
        wide[:len(options)] |= options
        return wide

    return widen


#: The polish starts with the filler parcels when the warm start has at least this long:
#: their sub-MIP needs tens of seconds on Turpan, where a few seconds are better spent on
#: the support alone first (a 6-s sensitivity warm start: 5.2019 filler-first, 5.2380
#: support-first; the first figure measured while the test suite ran beside it).
FILLERS_FIRST_MIN_S = 30.0


def capacity_exchanges(problem: Problem) -> tuple[Exchange, ...]:
    """One exchange per capacity-limited action, freeing all its options, in the order of
    the action's first pair in ``problem.pairs``."""
    pairs = problem.pairs
    if "capacity_km2_per_yr" not in pairs.columns:
        return ()
    limited = pairs.loc[pairs["capacity_km2_per_yr"].notna(), "action"]
    option_action = pairs["action"].to_numpy()[problem.option_pair]
    return tuple(Exchange(str(action), option_action == action)
                 for action in dict.fromkeys(limited))


#: The exchanges run from this ``[solver] effort`` up. On the Turpan baseline they cost more
#: than the rest of the warm start (quiet, 2026-12-02: warm start 49.8 s with them, 17.8 s
#: without; end to end 69.7 s against 25.6 s) for a plan 0.02 % better (7.4016 against
#: 7.3999, gap 0.249 % against 0.272 %; benchmarks/results.md), so the quick setting
#: (effort 0.5, the shipped baseline's) goes without them.
EXCHANGES_MIN_EFFORT = 1.0


def polish_neighbourhoods(problem: Problem, time_limit_s: float, exchanges: bool = True
                          ) -> tuple[Widen | Exchange, ...]:
    """The polish's neighbourhoods for ``problem`` and a warm start of ``time_limit_s``, in
    order: with filler parcels and time, the fillers, then the neighbouring years; else
    the support alone, the neighbouring years and the fillers (if any); then, with
    ``exchanges``, one exchange per capacity-limited action."""
    years = neighbouring_years(problem)
    filler = filler_options(problem)
    exchanges = capacity_exchanges(problem) if exchanges else ()
    if not filler.any():
        return support_only, years, *exchanges
    if time_limit_s >= FILLERS_FIRST_MIN_S:
        return adding(filler), years, *exchanges
    return support_only, years, adding(filler), *exchanges
