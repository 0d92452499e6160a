"""Marxan-format problems: read, solve exactly or heuristically, score and write as Marxan."""
