"""The command line's shared parts and its larger commands (solve.py wires them)."""
