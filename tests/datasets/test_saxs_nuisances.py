"""make_saxs_1d(nuisances="measured"): the level, background and counts of real measurements."""

import numpy as np
import pytest

from sciml_estimators.datasets import make_saxs_1d
from sciml_estimators.datasets._saxs_nuisances import NUISANCE_RANGES

SHAPES = ["sphere", "cylinder", "core_shell_sphere"]


def test_the_particles_are_those_of_the_call_without_nuisances():
    plain = make_saxs_1d(60, shapes=SHAPES, target="radius", random_state=0)
    measured = make_saxs_1d(60, shapes=SHAPES, target="radius", nuisances="measured",
                            random_state=0)
    np.testing.assert_array_equal(measured.target, plain.target)
    for name, values in plain.parameters.items():
        np.testing.assert_array_equal(measured.parameters[name], values)
    drawn = measured.nuisance_parameters
    level = drawn["volume_fraction"] * (drawn["contrast"] / 3.0) ** 2
    # The paper's profile has scale 1, contrast 4 - 1 = 3 and background 0.001.
    expected = level[:, None] * (plain.data - 0.001) + drawn["background"][:, None]
    np.testing.assert_allclose(measured.data, expected, rtol=1e-12)
    assert "measured-like" in measured.DESCR


def test_nuisances_are_drawn_log_uniformly_over_their_ranges():
    drawn = make_saxs_1d(2000, nuisances="measured", random_state=1).nuisance_parameters
    for name in ("volume_fraction", "contrast", "background"):
        low, high = NUISANCE_RANGES[name]
        values = np.log(drawn[name])
        assert np.log(low) <= values.min() and values.max() <= np.log(high)
        # Log-uniform: the mean log is the middle of the range, to 4 standard errors.
        width = np.log(high / low)
        assert abs(values.mean() - np.log(low * high) / 2) < 4 * width / np.sqrt(12 * 2000)


def test_the_counts_are_drawn_within_three_decades_of_the_flux():
    noisy = make_saxs_1d(400, nuisances="measured", noise="poisson", random_state=2)
    drawn = noisy.nuisance_parameters
    factor = drawn["flux"] / 1000.0
    assert factor.min() >= 1e-3 and factor.max() <= 1e3
    # Poisson counts: (I / dI)^2 is the number of counts, flux (q / q_max) I.
    q = noisy.q
    counts = (noisy.data / noisy.uncertainty) ** 2
    expected = drawn["flux"][:, None] * q / q[-1] * noisy.data
    seen = counts > 1
    np.testing.assert_allclose(counts[seen], expected[seen], rtol=1e-9)


def test_a_given_flux_is_the_centre_of_the_drawn_counts():
    low = make_saxs_1d(50, nuisances="measured", noise="poisson", flux=10.0, random_state=3)
    high = make_saxs_1d(50, nuisances="measured", noise="poisson", flux=1e5, random_state=3)
    np.testing.assert_allclose(high.nuisance_parameters["flux"],
                               1e4 * low.nuisance_parameters["flux"], rtol=1e-12)


def test_unknown_nuisances_are_refused():
    with pytest.raises(ValueError, match="nuisances"):
        make_saxs_1d(10, nuisances="beamline")
