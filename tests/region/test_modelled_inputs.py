"""The modelled parcel inputs follow RWEQ's soil equations and Turpan's habitat index."""

import numpy as np
import pytest

from region import modelled_inputs
from region.io import load_region


def test_dune_erodibility_recomputed_by_hand_from_fryrear_1998() -> None:
    # Sa 95, Si 3, Cl 2, OM 0.1, CaCO3 5 (data/README.md, "Soil surface per land cover")
    ef = (29.09 + 0.31 * 95 + 0.17 * 3 + 0.33 * 95 / 2 - 2.59 * 0.1 - 0.95 * 5) / 100
    scf = 1 / (1 + 0.0066 * 2**2 + 0.021 * 0.1**2)
    assert modelled_inputs.ERODIBILITY["sand_dune"] == pytest.approx(ef * scf, abs=5e-4)


def test_gravel_is_taken_out_of_the_erodible_fraction() -> None:
    gobi = modelled_inputs.SURFACE_SOIL["gobi"]
    fine = modelled_inputs.rweq_erodible_fraction(gobi.sand, gobi.silt, gobi.clay,
                                                  gobi.organic_matter, gobi.caco3)
    scf = modelled_inputs.rweq_crust_factor(gobi.clay, gobi.organic_matter)
    assert gobi.gravel == pytest.approx(0.66)  # Hexi gobis: 66 ± 17 % of the mass > 2 mm
    assert modelled_inputs.ERODIBILITY["gobi"] == pytest.approx(fine * 0.34 * scf, abs=5e-4)
    # the pavement makes gobi several times less erodible than loose dune sand
    assert modelled_inputs.ERODIBILITY["sand_dune"] > 5 * modelled_inputs.ERODIBILITY["gobi"]


def test_every_land_cover_has_a_soil_and_an_erodibility_within_0_1() -> None:
    covers = set(modelled_inputs.VEG_COVER_BASE)
    assert set(modelled_inputs.SURFACE_SOIL) == covers == set(modelled_inputs.ERODIBILITY)
    assert all(0.0 < e < 1.0 for e in modelled_inputs.ERODIBILITY.values())


def test_one_habitat_table_and_the_shipped_parcels_use_it() -> None:
    parcels = load_region().parcels
    h = parcels["land_cover"].map(modelled_inputs.HABITAT_SUITABILITY).to_numpy(float)
    h_now = h * (1 - 0.15 * parcels["degradation"].to_numpy(float))
    # Q = H_now · threat factor, the threat factor in [0, 1]
    assert np.all(parcels["habitat_quality"].to_numpy(float) <= h_now + 1e-3)
    erodibility = parcels["land_cover"].map(modelled_inputs.ERODIBILITY)
    np.testing.assert_allclose(parcels["erodibility"], erodibility)
