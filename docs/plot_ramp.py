"""Draw docs/ramp.png: the share of the mature benefit each catalogue action delivers by year."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from criteria.ramp import benefit_fraction  # noqa: E402

HERE = Path(__file__).resolve().parent


def main() -> None:
    actions = pd.read_csv(HERE.parent / "data" / "turpan" / "actions.csv")
    years = np.arange(0, 21)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    lifetimes = actions.get("lifetime_years", np.nan)
    for row, lifetime in zip(actions.itertuples(), np.broadcast_to(lifetimes, len(actions)),
                             strict=True):
        life = "" if np.isnan(lifetime) else f", lifetime {lifetime:g}"
        ax.step(years, benefit_fraction(years, row.lag_years, row.maturity_years, row.survival,
                                        lifetime),
                where="post", label=f"{row.code} (lag {row.lag_years}, maturity "
                                    f"{row.maturity_years}, survival {row.survival:g}{life})")
    ax.set_xlabel("years since the action started (0 = start year)")
    ax.set_ylabel("share of the mature benefit")
    ax.set_title("Benefit ramp per action: criteria/ramp.py, data/turpan/actions.csv")
    ax.set_ylim(0, 1.05)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(HERE / "ramp.png", dpi=110)


if __name__ == "__main__":
    main()
