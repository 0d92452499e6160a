"""A criterion's name is read one way by --weights, pareto --between and a scenario's
[weights] (region/criterion_names.py): the key in any case, the long English keys, the Chinese names
the tool prints; an unknown name gets the nearest one, in both."""

import pytest

from analysis.pareto import parse_between
from region.overrides import parse_weights


@pytest.mark.parametrize("text, pair", [
    ("防风固沙,生物多样性", ("sand", "bio")),  # refused before: only codes were read
    ("SAND,Bio", ("sand", "bio")),
    ("biodiversity， 固碳", ("bio", "carbon")),
    ("综合效益、投资", ("benefit", "cost")),
])
def test_between_reads_the_names_weights_reads(text, pair) -> None:
    assert parse_between(text) == pair


def test_weights_read_a_key_in_any_case() -> None:
    assert parse_weights("SAND=0.6,Water=0.4") == {"sand": 0.6, "water": 0.4}


@pytest.mark.parametrize("parse, text, hint", [
    (parse_between, "sandd,bio", "(did you mean 'sand'?)"),
    (parse_weights, "sandd=1", "(did you mean 'sand'?)"),
    (parse_between, "sand,水源涵", "(did you mean 'water'?)"),
    (parse_weights, "水源涵=1", "(did you mean 'water'?)"),
])
def test_an_unknown_name_gets_the_nearest_in_both(parse, text, hint) -> None:
    with pytest.raises(ValueError, match=r"did you mean") as caught:
        parse(text)
    assert str(caught.value).endswith(hint)


def test_the_same_criterion_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="two different names"):
        parse_between("sand,防风固沙")


def test_a_scenarios_weights_and_ahp_criteria_read_the_names_weights_reads() -> None:
    """[weights] "防风固沙" = 0.6 and [weights.ahp] criteria = ["防风固沙", "WATER"] were
    refused (unknown key; AHP criteria unknown) while --weights read the names. Direct
    weights keep their figures under the keys; the AHP's 3:1 judgement gives 0.75 and 0.25
    to the criteria it names, whatever their names."""
    from criteria.weights import resolve_weights
    from region.scenario_objective import Weights

    direct = Weights.model_validate({"防风固沙": 0.6, "Biodiversity": 0.4}, strict=True)
    assert (direct.sand, direct.bio, direct.water) == (0.6, 0.4, None)
    judged = Weights.model_validate({"ahp": {"criteria": ["防风固沙", "WATER"],
                                             "matrix": [[1.0, 3.0], [1 / 3, 1.0]]}})
    assert judged.ahp.criteria == ["sand", "water"]
    assert resolve_weights(judged) == pytest.approx(
        {"sand": 0.75, "water": 0.25, "bio": 0.0, "mine": 0.0, "carbon": 0.0})
