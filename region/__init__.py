"""Region inputs: schema, loading and validation, scenarios and their overrides."""

from region.errors import InputError, InputProblem
from region.io import Region, RegionPaths, load_actions, load_parcels, load_region
from region.overrides import Overrides, load_scenario_with_overrides
from region.scenario import Scenario
from region.scenario_toml import load_scenario

__all__ = ["InputError", "InputProblem", "Overrides", "Region", "RegionPaths", "Scenario",
           "load_actions", "load_parcels", "load_region", "load_scenario",
           "load_scenario_with_overrides"]
