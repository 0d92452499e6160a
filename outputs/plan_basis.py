"""Which line of the plan a listed work follows (规划依据) and the key work (重点工程) its project
belongs to (所属重点工程), from the region's project table and action catalogue.

The project table's ``source`` and the catalogue's ``rule_source`` cite the plan by line
("l.98; l.63 (以草定畜，划区轮牧 … 草地退化修复)"); the lines and the plan's own Chinese words
quoted beside them are kept, our English notes are not. A work under no plan project cites the
lines its action's rules follow. The codes (W1, P1-4 …) are the tool's: the plan names its key
works and projects but does not number them.
"""

from __future__ import annotations

import re

import pandas as pd

from region.io import Region

_LINE = re.compile(r"l\.\s*(\d+(?:[-–]\d+)?)(?:\s*\(([^)]*)\))?")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_SHORT_LATIN = re.compile(r"(?<![A-Za-z])[A-Za-z]{1,2}\d*(?![A-Za-z])\s*")
#: The catalogue's "name: l.71 (固沙沙障, …)": the line where the plan names the action.
_NAMED = re.compile(r"\bname:\s*l\.\s*(\d+)\s*\(([^,;)]+)")
#: A project table's "the work is our reading" / "enclosure … is our reading": the plan names
#: the project but not this work, the table files it there (plan audit 3, P1 and P3).
_OUR_READING = re.compile(r"([A-Za-z_ ]+?)\s+(?:is|are) our reading")


def plan_lines(source: str) -> str:
    """"第98行；第63行：以草定畜，划区轮牧 … 草地退化修复": each cited line once, with the
    plan's words quoted beside it where the citation quotes them (a note in English is
    left out)."""
    said: dict[str, str] = {}
    for line, quote in _LINE.findall(str(source)):
        line = line.replace("–", "-")
        quote = _SHORT_LATIN.sub("", quote).strip()  # "z3 以封育为主", "… in 高昌区"
        if quote and not _LATIN_WORD.search(quote) and not said.get(line):
            said[line] = quote
        else:
            said.setdefault(line, "")
    return "；".join(f"第{line}行" + (f"：{quote}" if quote else "")
                    for line, quote in said.items())


def project_fields(frame: pd.DataFrame, region: Region) -> pd.DataFrame:
    """Per row of ``frame`` (project_id, action, optional umbrella_id): ``work_label``, the
    key work its project belongs to ("W1 天山南坡东段…重点工程"; the project itself when it is
    a work; with the umbrella work it also counts towards), and ``plan_basis``, the plan's
    lines it follows ("规划第98行；第63行：…"; the action's, marked so, for a work under no
    project)."""
    projects = region.projects
    table = projects.set_index("project_id") if projects is not None and len(projects) \
        else pd.DataFrame(columns=["parent", "name_zh", "source"])
    names = {str(k): f"{k} {row['name_zh']}" for k, row in table.iterrows()}
    catalogue = region.actions.set_index("code")
    rules = catalogue["rule_source"] if "rule_source" in catalogue else pd.Series(dtype=str)
    works, bases = [], []
    umbrellas = frame["umbrella_id"] if "umbrella_id" in frame else pd.Series("", frame.index)
    for project, action, umbrella in zip(frame["project_id"].fillna("").astype(str),
                                         frame["action"], umbrellas.fillna("").astype(str),
                                         strict=True):
        if project in table.index:
            parent = str(table.at[project, "parent"] or "")
            work = names.get(parent, names[project]) if parent else names[project]
            if umbrella and umbrella != project and umbrella in names:
                work += f"（亦计入{names[umbrella]}）"
            lines = plan_lines(table.at[project, "source"])
            works.append(work)
            basis = _action_named(rules.get(action, ""), table.at[project, "source"], lines)
            bases.append(basis + _reading_note(table.at[project, "source"], action))
        else:
            lines = plan_lines(rules.get(action, ""))
            works.append("")
            bases.append(f"措施依据：规划{lines}" if lines else "")
    return pd.DataFrame({"work_label": works, "plan_basis": bases}, index=frame.index)


def _action_named(rule_source: str, project_source: str, lines: str) -> str:
    """A project work's plan basis: the project's lines, led by the line where the plan
    names the action (the catalogue's "name: l.71 (固沙沙障, …)") when the project's own
    lines do not: then filing the action under the project is our reading, and the cell
    says so. Sand barriers under 三北防护林 cited l.73, which names 封育 and 防沙治沙人工造林,
    not 沙障 (a reviewer's finding)."""
    named = _NAMED.search(str(rule_source))
    word = named.group(2).strip() if named else ""
    if not word or word in str(project_source):
        return f"规划{lines}" if lines else ""
    return (f"规划第{named.group(1)}行：{word}（措施）；所属项目：{lines or '未注明行'}"
            f"（项目各行未提{word}，归入该项目为本方案的解读）")


def _reading_note(project_source: str, action: str) -> str:
    """"（规划未写明该项目的措施，此项为本方案的解读）" when the project table says the work, or
    this action, is our reading: the plan names the project (l.99's 农田生态系统修复, l.101's
    荒漠植被保护修复) but not the work, and the cell must not read as if it did."""
    for said in _OUR_READING.findall(str(project_source)):
        words = said.lower().split()
        if "work" in words or action.lower() in words:
            return "（规划未写明该项目的措施，此项为本方案的解读）"
    return ""
