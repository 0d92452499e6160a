"""What a planner hands in: priority lists, maps and the run report, written from a Plan."""
