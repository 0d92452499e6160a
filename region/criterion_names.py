"""A criterion's name as a user types it, read one way wherever one is named (``--weights``,
a scenario's ``[weights]`` keys and AHP criteria, ``pareto --between``): its key
(``sand``), in any case (``SAND``, ``Bio``); the long English keys (``sand_control``,
``biodiversity``, ``carbon_sink``); its Chinese name as the tool prints it (防风固沙,
region/schema.py CRITERION_LABELS), and 生物多样性 and 碳汇 as the plan writes them. A name
that is none of these gets the nearest one as a suggestion.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from region.schema import CRITERIA, CRITERION_LABELS

#: Other names of the criteria → their keys (looked up in lower case).
CRITERION_ALIASES: dict[str, str] = {
    "biodiversity": "bio", "sand_control": "sand", "carbon_sink": "carbon",
    **{zh: code for code, (zh, _) in CRITERION_LABELS.items()},
    "生物多样性": "bio", "碳汇": "carbon"}


#: The criteria's names as a message lists them: keys, then the Chinese names.
ACCEPTED_NAMES = (f"{', '.join(CRITERIA)} (or "
                  f"{', '.join(zh for zh, _ in CRITERION_LABELS.values())})")


def criterion_key(name: str, keys: Sequence[str] = CRITERIA,
                  aliases: Mapping[str, str] = CRITERION_ALIASES) -> str | None:
    """The key of ``keys`` that ``name`` stands for (itself or an alias, in any case,
    surrounding spaces ignored), or None."""
    text = name.strip().lower()
    key = text if text in keys else aliases.get(text)
    return key if key in keys else None


def did_you_mean(name: str, keys: Sequence[str] = CRITERIA,
                 aliases: Mapping[str, str] = CRITERION_ALIASES) -> str:
    """" (did you mean 'sand'?)" for the key nearest to an unknown ``name`` (by its key or
    one of its aliases), or ''."""
    names = [*keys, *(alias for alias, key in aliases.items() if key in keys)]
    close = difflib.get_close_matches(name.strip().lower(), names, n=1)
    return f" (did you mean '{aliases.get(close[0], close[0])}'?)" if close else ""
