"""The command line's shared parts and its larger commands (solve.py wires them); its entry
points are solve.py and cli/entry.py."""
