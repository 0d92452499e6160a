"""The plan lines the shipped tables cite exist and hold the words and figures cited from them.

A reviewer opens the plan at each cited line (docs/plan_citations.md is the audit). The tables'
citations are machine-readable: ``l.63 (以草定畜，划区轮牧 … 草地退化修复)``, ``plan line 13:
998万亩 …``, ``规划第90行：远期2026-2035年重点治理项目10个``. Each Chinese run quoted beside a
line (split at "…", where the citation leaves words out) must be found in that line (or range);
each line number must be a line of the plan that holds text. The priority lists print these
quotes as the plan's words (outputs/plan_basis.py), so a paraphrase there reads as a misquote.
Skipped when the plan (``shared/plan`` beside the clone) is not there.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd

from region.io import TURPAN_DIR
from region.scenario_spatial_rules import PLAN_SPATIAL_RULES

REPO = Path(__file__).resolve().parents[2]

#: Tables with citations in English prose ("l.63 (…)", "plan line 13: …"), by file and column.
ENGLISH_SITES = {"actions.csv": "rule_source", "projects.csv": "source"}
#: Tables with citations in Chinese prose ("规划第124行：…", "第11、13-15行为“十三五”以来").
CHINESE_SITES = {"project_library.csv": "basis", "indicators.csv": "source"}

_CJK = r"\u3400-\u9fff"
#: A run of the plan's own words: Chinese characters with the digits, full-width punctuation
#: and decimal points between them ("每年实施草原禁牧998万亩", "荒漠灌木林地、沙生灌丛地").
_RUN = re.compile(rf"[{_CJK}0-9.%，、：“”（）《》—\-]*[{_CJK}][{_CJK}0-9.%，、：“”（）《》—\-]*")
_NUMBERS = r"\d+(?:\s*[-–]\s*\d+)?(?:\s*(?:,|and|、)\s*\d+(?:\s*[-–]\s*\d+)?)*"
#: "l.63", "l.89-90", "line 13", "lines 14, 66, 68 and 92", then what the citation says of it:
#: a parenthesis, or after a colon up to the clause's end.
_ENGLISH = re.compile(rf"(?:\bl\.\s*|\blines?\s+)(?P<lines>{_NUMBERS})"
                      r"(?:\s*\((?P<paren>[^)]*)\)|\s*:\s*(?P<colon>[^;)]*))?")
#: "第11行（2020年森林覆盖率3.40%）", "第90行：远期2026-2035年重点治理项目10个",
#: "第11、13-15行为“十三五”以来": what is said of the line, in a parenthesis or to the clause's end.
_CHINESE = re.compile(r"第(?P<lines>[0-9、\-–]+)行"
                      r"(?:（(?P<paren>[^）]*)）|[：:为]?(?P<said>[^；;，）]*))")


def line_numbers(text: str) -> list[int]:
    """"89-90" → [89, 90]; "14, 66, 68 and 92" → [14, 66, 68, 92]; "11、13-15" → [11, 13-15]
    as [11, 13, 14, 15]."""
    numbers: list[int] = []
    for part in re.split(r"\s*(?:,|、|and)\s*", text.strip()):
        ends = [int(n) for n in re.split(r"\s*[-–]\s*", part) if n]
        numbers += list(range(ends[0], ends[-1] + 1))
    return numbers


def quoted_runs(said: str) -> list[str]:
    """The plan's words in what a citation says of a line, cut where it leaves words out."""
    runs = []
    for piece in re.split(r"…|\.\.\.", said):
        runs += [r.strip("，、：—-. ") for r in _RUN.findall(piece)]
    return [r for r in runs if re.search(f"[{_CJK}]", r) and len(r) >= 2]


def citations() -> list[tuple[str, str, list[int], list[str]]]:
    """(site, citation, cited lines, quoted runs) for every citation in the shipped tables."""
    found = []
    for file, column in ENGLISH_SITES.items():
        table = pd.read_csv(TURPAN_DIR / file, dtype=str).fillna("")
        for key, text in zip(table.iloc[:, 0], table[column], strict=True):
            for match in _ENGLISH.finditer(text):
                said = match["paren"] or match["colon"] or ""
                found.append((f"{file} {key}", match[0], line_numbers(match["lines"]),
                              quoted_runs(said)))
    for file, column in CHINESE_SITES.items():
        table = pd.read_csv(TURPAN_DIR / file, dtype=str).fillna("")
        for key, text in zip(table.iloc[:, 0], table[column], strict=True):
            for match in _CHINESE.finditer(text):
                # Chinese prose paraphrases: its “quotes” and figures are the plan's.
                said = re.split(r"[；;]|第", match["paren"] or match["said"] or "")[0]
                quotes = re.findall(r"“([^”]+)”", said)
                numbers = re.findall(r"\d+(?:\.\d+)?%?", said)
                found.append((f"{file} {key}", match[0], line_numbers(match["lines"]),
                              [f"“{q}”" for q in quotes] + numbers))
    return found


def scenario_sources() -> list[tuple[str, list[int]]]:
    """The spatial rules' ``source`` (the baseline's and the defaults): their cited lines."""
    baseline = tomllib.loads((REPO / "data" / "scenarios" / "baseline.toml").read_text("utf-8"))
    sources = [rule["source"] for rule in baseline.get("spatial_rules", [])]
    sources += [rule.source for rule in PLAN_SPATIAL_RULES]
    cited = []
    for source in sources:
        for match in re.finditer(rf"lines?\s+({_NUMBERS}(?:\s*;\s*{_NUMBERS})*)", source):
            for group in match[1].split(";"):
                cited.append((source, line_numbers(group)))
        for match in re.finditer(rf"(?:;|\))\s*({_NUMBERS})\s*\(", source):
            cited.append((source, line_numbers(match[1])))
    return cited


def test_every_cited_line_exists_and_holds_text(plan_lines) -> None:
    plan = plan_lines
    cited = [(site, text, lines) for site, text, lines, _ in citations()]
    cited += [("spatial rule", source, lines) for source, lines in scenario_sources()]
    assert len(cited) > 150  # the parser still finds the tables' citations
    bad = [(site, text, n) for site, text, lines in cited for n in lines
           if not 1 <= n <= len(plan) or not plan[n - 1].strip()]
    assert not bad, bad


def test_quoted_words_and_figures_are_in_the_cited_line(plan_lines) -> None:
    """Every Chinese run quoted beside a line is in it: "l.63 (以草定畜，划区轮牧 …)" in line 63,
    "plan line 13: 998万亩" in line 13, "第90行：…10个" has 10 in line 90."""
    plan = plan_lines
    checked, wrong = 0, []
    for site, text, lines, runs in citations():
        said = "".join(plan[n - 1] for n in lines if 1 <= n <= len(plan))
        for run in runs:
            words = run.strip("“”")
            checked += 1
            if words.rstrip("%") not in said:
                wrong.append((site, text, run))
    assert checked > 80  # the parser still finds the quotes
    assert not wrong, "\n".join(f"{site}: {run!r} is not in {text!r}" for site, text, run in wrong)


def test_the_red_line_layer_cites_the_lines_naming_each_red_line(plan_lines) -> None:
    """data/turpan_places.RED_LINES (the layer's ``plan_line``): the plan's three red lines are
    named, word for word, in the line each cites; the reserve's line names the reserve."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("turpan_places",
                                                  REPO / "data" / "turpan_places.py")
    places = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(places)
    plan = plan_lines
    for name, source, _ in places.RED_LINES:
        cited = [n for group in re.findall(rf"PLAN lines? ({_NUMBERS})", source)
                 for n in line_numbers(group)]
        name_zh = name.split(" ")[0]
        said = "".join(plan[n - 1] for n in cited)
        assert cited and name_zh.removesuffix("生态保护红线") in said, (name_zh, source)
