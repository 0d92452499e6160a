"""The whole-run pipeline: region → criteria → corridors → optimizer → planner outputs.

It sits above the parts it strings together, so every import arrow runs one way: region,
criteria, optimizer and outputs never import from here.
"""

from pipeline.run import PreparedInputs, RunOutcome, prepare, run_scenario

__all__ = ["PreparedInputs", "RunOutcome", "prepare", "run_scenario"]
