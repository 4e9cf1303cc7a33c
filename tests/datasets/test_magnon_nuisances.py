"""make_magnons(nuisances="measured") and make_magnons_domain_shift."""

import hashlib

import numpy as np
import pytest

from sciml_estimators.datasets import make_magnons, make_magnons_domain_shift
from sciml_estimators.datasets._magnon_nuisances import (
    NUISANCE_NAMES,
    NUISANCE_RANGES,
    draw_nuisances,
)
from sciml_estimators.datasets._magnon_shift import SHIFTED, SOURCE
from sciml_estimators.datasets._nuisance_streams import nuisance_streams
from sciml_estimators.simulators import measured_magnon_slices


@pytest.mark.parametrize("noise, digest", [
    (None, "789f3e685faaba76c00ef0bd2dacad2d26d779c43aa03313cd1806dca7bcb04e"),
    ("poisson", "2530970e511ad3be4c6a748807698ddd546525eafc250ef5fd48de93ca1bf206"),
])
def test_ideal_images_are_those_before_the_nuisances(noise, digest):
    """Hashes of make_magnons(8, random_state=0) taken before nuisances existed."""
    data = make_magnons(8, random_state=0, noise=noise).data
    assert hashlib.sha256(np.ascontiguousarray(data).tobytes()).hexdigest() == digest


def test_measured_images_are_the_kernels_counted():
    ideal = make_magnons(6, random_state=1)
    measured = make_magnons(6, random_state=1, nuisances="measured")
    np.testing.assert_array_equal(measured.target, ideal.target)
    drawn = measured.nuisance_parameters
    assert measured.mask.shape == measured.data.shape
    assert np.all(measured.data[~measured.mask] == 0)
    counts = measured.data * drawn["flux"][:, None, None]
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-3)
    conditions = {name: drawn[name] for name in NUISANCE_NAMES if name not in (
        "dead_banks", "counts")}
    expected, mask = measured_magnon_slices(
        measured.target[:, 0], measured.target[:, 1], h=measured.h, k=measured.k,
        energy_edges=measured.energy_edges, chopper_frequency=400.0, chopper_package="G",
        **conditions)
    np.testing.assert_array_equal(mask, measured.mask)
    # Poisson: the counts scatter about flux * I with variance flux * I.
    mean = expected[mask].astype(float) * np.broadcast_to(drawn["flux"][:, None, None],
                                                          mask.shape)[mask]
    residual = counts[mask] - mean
    assert abs(residual.mean()) < 4 * np.sqrt(mean.sum()) / mask.sum()
    z = residual[mean > 5] / np.sqrt(mean[mean > 5])  # 0 +- 1 where Poisson is near normal
    assert (mean > 5).sum() > 5000
    assert np.mean(z**2) == pytest.approx(1.0, abs=0.05)
    assert "measured-like (MARI" in measured.DESCR
    # Measured images are always counted: noise="poisson" changes nothing.
    counted = make_magnons(6, random_state=1, nuisances="measured", noise="poisson")
    np.testing.assert_array_equal(counted.data, measured.data)


def test_nuisances_are_drawn_over_their_ranges():
    drawn = make_magnons(300, random_state=2, nuisances="measured").nuisance_parameters
    assert set(np.unique(drawn["incident_energy"])) == {15.0, 25.0, 35.0}
    for name in ("temperature", "mosaic", "damping", "elastic", "phonon",
                 "multiple_scattering", "scale"):
        low, high = NUISANCE_RANGES[name]
        assert low <= drawn[name].min() and drawn[name].max() <= high
        assert drawn[name].max() - drawn[name].min() > 0.5 * (high - low) or name in (
            "damping", "elastic", "phonon", "multiple_scattering", "scale")
    dead = (drawn["efficiency"] == 0).sum(axis=1)
    np.testing.assert_array_equal(dead, drawn["dead_banks"])
    assert set(np.unique(dead)) == {0, 1, 2, 3}
    alive = drawn["efficiency"][drawn["efficiency"] > 0]
    assert abs(alive.std() - 0.05) < 0.005 and abs(alive.mean() - 1.0) < 0.005


def test_each_nuisance_has_its_own_stream():
    """Changing one nuisance's range leaves every other one's draws as they were."""
    first = draw_nuisances(50, nuisance_streams(np.random.RandomState(3), NUISANCE_NAMES))
    ranges = {**NUISANCE_RANGES, "damping": (0.2, 0.3), "incident_energy": (20.0,)}
    second = draw_nuisances(50, nuisance_streams(np.random.RandomState(3), NUISANCE_NAMES),
                            ranges)
    for name in NUISANCE_NAMES:
        same = np.array_equal(first[name], second[name])
        assert same == (name not in ("damping", "incident_energy")), name


def test_domain_shift_conditions():
    shift = make_magnons_domain_shift(20, shifted_fraction=0.3, random_state=0)
    assert shift.data.shape == (20, 128, 128) and shift.mask.shape == (20, 128, 128)
    np.testing.assert_array_equal(shift.domain, [0] * 14 + [1] * 6)
    drawn = shift.nuisance_parameters
    source, shifted = shift.domain == 0, shift.domain == 1
    assert np.all(drawn["incident_energy"][source] == 25.0)
    assert set(drawn["incident_energy"][shifted]) <= {15.0, 35.0}
    for name in ("temperature", "phonon", "multiple_scattering"):
        assert np.all((SOURCE[name][0] <= drawn[name][source])
                      & (drawn[name][source] <= SOURCE[name][1]))
        assert np.all((SHIFTED[name][0] <= drawn[name][shifted])
                      & (drawn[name][shifted] <= SHIFTED[name][1]))
        assert drawn[name][source].max() < drawn[name][shifted].min()
    assert np.all(shift.data[~shift.mask] == 0)
    assert set(shift.conditions) == {"source", "shifted"}


@pytest.mark.parametrize("call, match", [
    (lambda: make_magnons(2, nuisances="measured", mask=False), "needs mask=True"),
    (lambda: make_magnons(2, nuisances="simulated"), "nuisances"),
    (lambda: make_magnons_domain_shift(4, shifted_fraction=0.1), "each domain needs at least 2"),
])
def test_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()
