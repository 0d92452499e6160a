"""Solver messages as sentences: each part of a run's story (the solver's message, what the
clock ended, what to do) starts with a capital and ends with a full stop, so that parts
joined on one line read as sentences, not as one run-on clause."""

from __future__ import annotations


def sentence(text: str) -> str:
    """``text`` as one sentence: stripped, first letter capitalised, a closing full stop
    (kept when it ends with one already, or with ! or ?); empty stays empty."""
    text = text.strip().rstrip(";,:").rstrip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def sentences(*parts: str) -> str:
    """The non-empty ``parts`` as sentences, one space apart."""
    return " ".join(s for s in (sentence(p) for p in parts) if s)
