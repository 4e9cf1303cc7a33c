"""Simulating on a measurement's own instrument: MeasuredInstrument, instrument_from_profile."""

import numpy as np
import pytest
from sklearn.utils import Bunch

from sciml_estimators.datasets import (
    Instrument,
    MeasuredInstrument,
    instrument_from_profile,
    make_saxs_1d,
)
from sciml_estimators.datasets._saxs import FIXED
from sciml_estimators.simulators import pinhole_smear, slit_smear, sphere_iq

#: A pinhole SAXS profile: dQ per point growing with q, as a 4-column reduced file.
PINHOLE_Q = np.geomspace(0.004, 0.35, 80)
PINHOLE_DQ = 0.0015 + 0.02 * PINHOLE_Q
#: NIST BT5 USANS (sasdata's example_data/1d_data/1umSlitSmearSphere.ABS: 149 points from
#: 1e-4 to 1e-2 1/A, slit length 0.117 1/A) and a slit with a width (cansas1d_slit.xml:
#: dQl 0.005, dQw 0.001 1/A).
USANS_Q = np.geomspace(1e-4, 1e-2, 149)
SLITS = {
    "usans": (USANS_Q, np.full(149, 0.117), None),
    "kratky": (np.linspace(0.02, 0.3, 149), np.full(149, 0.005), np.full(149, 0.001)),
}


def profile(q, **fields):
    """A loaded profile's Bunch, as load_saxs_profile returns it (no resolution by default)."""
    defaults = {"intensity": np.ones_like(q), "uncertainty": None, "dq": None,
                "slit_length": None, "slit_width": None}
    return Bunch(q=q, **{**defaults, **fields})


@pytest.fixture(scope="module")
def sasmodels_sphere():
    """Return ``iq(q, radius, **resolution)``: sasmodels' DirectModel of the set's sphere."""
    core = pytest.importorskip(
        "sasmodels.core", reason="sasmodels (test extra) is the reference simulator"
    )
    from sasmodels.data import Data1D
    from sasmodels.direct_model import DirectModel

    model = core.load_model("sphere", dtype="double", platform="dll")

    def iq(q, radius, dx=None, dxl=None, dxw=None):
        data = Data1D(x=q, y=np.ones_like(q), dx=dx, dy=np.ones_like(q))
        if dxl is not None:
            data.dxl, data.dxw = dxl, np.zeros_like(q) if dxw is None else dxw
        return DirectModel(data, model)(radius=radius, **FIXED)

    return iq


def test_pinhole_profile_is_simulated_as_sasmodels_pinhole1d(sasmodels_sphere):
    measured = profile(PINHOLE_Q, dq=PINHOLE_DQ)
    saxs = make_saxs_1d(4, shapes=["sphere"], instrument=instrument_from_profile(measured),
                        random_state=0)
    np.testing.assert_array_equal(saxs.q, PINHOLE_Q)
    for radius, row in zip(saxs.parameters["radius"], saxs.data):
        expected = sasmodels_sphere(PINHOLE_Q, radius, dx=PINHOLE_DQ)
        # Required: 1e-10. Measured: 9e-16.
        np.testing.assert_allclose(row, expected, rtol=1e-10, atol=0)


@pytest.mark.parametrize("name", sorted(SLITS))
def test_slit_profile_is_simulated_as_sasmodels_slit1d(sasmodels_sphere, name):
    q, length, width = SLITS[name]
    measured = profile(q, slit_length=length, slit_width=width)
    saxs = make_saxs_1d(4, shapes=["sphere"], instrument=instrument_from_profile(measured),
                        random_state=1)
    np.testing.assert_array_equal(saxs.q, q)
    for radius, row in zip(saxs.parameters["radius"], saxs.data):
        expected = sasmodels_sphere(q, radius, dxl=length, dxw=width)
        # Required: 1e-10. Measured: 1.3e-15 (usans), 5.4e-14 (kratky).
        np.testing.assert_allclose(row, expected, rtol=1e-10, atol=0)


@pytest.mark.parametrize("resolution", [{"dq": PINHOLE_DQ[:40]}, {"slit_length": 0.01}])
def test_sasmodels_engine_smears_the_same(resolution):
    instrument = MeasuredInstrument(PINHOLE_Q[:40], **resolution)
    numba = make_saxs_1d(3, shapes=["sphere"], instrument=instrument, random_state=0)
    sasmodels = make_saxs_1d(3, shapes=["sphere"], instrument=instrument, random_state=0,
                             engine="sasmodels")
    # Required: 1e-10. Measured: 7e-16.
    np.testing.assert_allclose(numba.data, sasmodels.data, rtol=1e-10, atol=0)


@pytest.mark.parametrize("flux", [0.3, 50.0, 2e4])
def test_flux_estimate_recovers_the_flux_of_a_noisy_profile(flux):
    noisy = make_saxs_1d(2, shapes=["sphere"], instrument=MeasuredInstrument(USANS_Q, flux=flux),
                         noise="poisson", random_state=3)
    measured = profile(USANS_Q, intensity=noisy.data[0], uncertainty=noisy.uncertainty[0])
    # Each point with counts gives the flux exactly (I / dI^2 is its exposure), so the
    # median does too. Required: 1e-12. Measured: 0 (40 profiles, seeds 0-19).
    np.testing.assert_allclose(instrument_from_profile(measured).flux, flux, rtol=1e-12)


def test_flux_without_uncertainties_is_the_default_or_given():
    assert instrument_from_profile(profile(PINHOLE_Q)).flux == 1000.0
    measured = profile(PINHOLE_Q, uncertainty=np.full(80, 0.1))
    assert instrument_from_profile(measured, flux=7.0).flux == 7.0
    # A robust median: a few points of other statistics do not move it.
    intensity = 1.0 / PINHOLE_Q
    uncertainty = np.sqrt(intensity * PINHOLE_Q[-1] / (250.0 * PINHOLE_Q))
    uncertainty[:10] *= 30.0
    measured = profile(PINHOLE_Q, intensity=intensity, uncertainty=uncertainty)
    np.testing.assert_allclose(instrument_from_profile(measured).flux, 250.0, rtol=1e-12)


def test_noise_and_sequences_of_measured_instruments():
    usans = instrument_from_profile(profile(USANS_Q, slit_length=np.full(149, 0.117)))
    pinhole = MeasuredInstrument(USANS_Q, dq=0.05 * USANS_Q, flux=20.0)
    instruments = [usans, pinhole, Instrument(1e-4, 1e-2, 149)]
    saxs = make_saxs_1d(12, shapes=["sphere"], instrument=instruments, noise="poisson",
                        random_state=0)
    assert saxs.instruments == tuple(instruments)
    assert set(saxs.instrument_index) == {0, 1, 2}
    np.testing.assert_array_equal(saxs.q[saxs.instrument_index == 1], USANS_Q[None].repeat(
        np.sum(saxs.instrument_index == 1), axis=0))
    assert ("  0: 149 measured points from 0.0001 to 0.01 1/A, slit, measured length dQl "
            "0.117 and width dQw 0 1/A per point, flux 1000\n") in saxs.DESCR
    assert "  1: 149 measured points from 0.0001 to 0.01 1/A, pinhole, measured dq per " \
        "point, 5e-06 to 0.0005 1/A, flux 20\n" in saxs.DESCR
    # Counts at each row's own flux: data * exposure are whole numbers.
    flux = np.where(saxs.instrument_index == 1, 20.0, 1000.0)[:, None]
    counts = saxs.data * flux * USANS_Q / USANS_Q[-1]
    np.testing.assert_allclose(counts, np.round(counts), rtol=1e-9, atol=1e-9)
    # The noise-free rows are each instrument's smeared sphere.
    ideal = make_saxs_1d(12, shapes=["sphere"], instrument=instruments, random_state=0)
    radius = ideal.parameters["radius"]
    for row, k in enumerate(ideal.instrument_index):
        if k == 0:
            expected = slit_smear(sphere_iq, USANS_Q, 0.117, radius=radius[row], **FIXED)
        elif k == 1:
            expected = pinhole_smear(sphere_iq, USANS_Q, dq=0.05 * USANS_Q, radius=radius[row],
                                     **FIXED)
        else:
            expected = sphere_iq(USANS_Q, radius=radius[row], **FIXED)
        np.testing.assert_allclose(ideal.data[row], expected, rtol=1e-13, atol=0)


def test_single_measured_instrument_describes_its_resolution():
    saxs = make_saxs_1d(2, instrument=MeasuredInstrument(PINHOLE_Q, dq=PINHOLE_DQ),
                        random_state=0)
    assert "- resolution: pinhole, measured dq per point, 0.00158 to 0.0085 1/A.\n" in saxs.DESCR
    assert "- q: 80 points from 0.004 to 0.35 1/A.\n" in saxs.DESCR


def test_zero_resolution_is_ideal_and_arrays_are_read_only():
    instrument = MeasuredInstrument(PINHOLE_Q, dq=np.zeros(80))
    assert instrument.resolution is None  # as sasmodels' DirectModel: Perfect1D
    via = make_saxs_1d(3, instrument=instrument, random_state=0)
    explicit = make_saxs_1d(3, q=PINHOLE_Q, random_state=0)
    np.testing.assert_array_equal(via.data, explicit.data)
    with pytest.raises(ValueError, match="read-only"):
        instrument.q[0] = 1.0
    scalar = MeasuredInstrument(PINHOLE_Q, slit_length=0.1)
    np.testing.assert_array_equal(scalar.slit_length, np.full(80, 0.1))


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"q": PINHOLE_Q[::-1]}, r"q must be strictly increasing; got q\[0\] = 0.35 and q\[1\]"),
        ({"q": np.r_[PINHOLE_Q[:40], PINHOLE_Q[39:-1]]}, "strictly increasing.*Sort the profile"),
        ({"dq": np.r_[-1e-3, PINHOLE_DQ[1:]]}, "dq must be finite and non-negative.*index 0"),
        ({"dq": PINHOLE_DQ, "slit_length": np.full(80, 0.1)}, "pinhole resolution .* not both"),
        ({"slit_width": np.full(80, 1e-3)}, "slit_width needs a positive slit_length.*index 0"),
        ({"dq": PINHOLE_DQ[:-1]}, r"profile\['dq'\] must have one value per q point: shape "
                                  r"\(80,\) as profile\['q'\]; got shape \(79,\)"),
        ({"intensity": np.ones(3)}, r"profile\['intensity'\] must have one value per q"),
        ({"q": None}, "profile has no 'q'"),
        ({"uncertainty": np.zeros(80)}, "cannot estimate the flux: no point has"),
        ({"uncertainty": np.full(80, 1e-9)}, "estimated a flux of .* outside"),
    ],
)
def test_bad_profiles_say_what_is_wrong(fields, message):
    measured = profile(PINHOLE_Q)
    measured.update(fields)
    with pytest.raises(ValueError, match=message):
        instrument_from_profile(measured)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"q": [[0.1, 0.2]]}, r"q must be a 1-D array of at least 2 points; got shape \(1, 2\)"),
        ({"q": [0.1, np.inf]}, "q must be finite and positive"),
        ({"dq": [0.1, 0.1, 0.1]}, r"dq must be a scalar or have the shape of q \(2,\)"),
        ({"flux": 0.0}, r"flux must be in \[1e-12, 1e\+12\]"),
    ],
)
def test_bad_measured_instruments_say_what_is_expected(fields, message):
    with pytest.raises(ValueError, match=message):
        MeasuredInstrument(**{"q": [0.1, 0.2], **fields})
