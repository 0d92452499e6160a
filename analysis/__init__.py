"""Scenario analysis over many solves: budget and water sweeps, plan comparison."""
