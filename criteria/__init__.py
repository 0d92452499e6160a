"""What a restoration action on a parcel is worth, and where the ecological corridors run."""

from criteria.connectivity import iic
from criteria.corridors import Corridor, CorridorAnalysis, analyse_corridors
from criteria.options import CRITERION_UNITS, build_options, options_from_table
from criteria.ramp import benefit_fraction, cumulative_benefit
from criteria.weights import InconsistentJudgementsError, ahp, resolve_weights

__all__ = ["CRITERION_UNITS", "Corridor", "CorridorAnalysis", "InconsistentJudgementsError",
           "ahp", "analyse_corridors", "benefit_fraction", "build_options",
           "cumulative_benefit", "iic", "options_from_table", "resolve_weights"]
