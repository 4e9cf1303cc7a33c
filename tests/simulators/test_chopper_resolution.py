import numpy as np
import pytest

from sciml_estimators.simulators import chopper_energy_resolution

FWHM_PER_SIGMA = 2.0 * np.sqrt(2.0 * np.log(2.0))


@pytest.mark.parametrize("package, incident_energy, frequency", [
    ("G", 15.0, 400), ("G", 25.0, 400), ("G", 35.0, 400), ("G", 25.0, 200),
    ("A", 25.0, 200), ("A", 15.0, 100), ("S", 50.0, 300), ("A", 100.0, 350),
])
def test_width_matches_resins_mari_model(package, incident_energy, frequency):
    resins = pytest.importorskip("resins", reason="resins (test extra, Python >= 3.11) holds "
                                 "the reference MARI resolution model")
    model = resins.Instrument.from_default("MARI").get_resolution_function(
        "PyChop_fit", chopper_package=package, e_init=incident_energy,
        chopper_frequency=frequency)
    energy = np.linspace(0.0, 0.8 * incident_energy, 9)
    expected = model.get_characteristics(energy[:, None])["sigma"] * FWHM_PER_SIGMA
    ours = chopper_energy_resolution(energy, incident_energy=incident_energy,
                                     chopper_frequency=frequency, package=package)
    # resins fits a 4th-order polynomial to PyChop's widths at 40 energies: measured
    # agreement 1.2e-4 at worst over these settings.
    np.testing.assert_allclose(ours, expected, rtol=5e-4)


def test_width_narrows_with_energy_transfer_and_grows_with_incident_energy():
    energy = np.linspace(0.0, 9.0, 10)
    widths = [chopper_energy_resolution(energy, incident_energy=ei, chopper_frequency=400)
              for ei in (15.0, 25.0, 35.0)]
    for width in widths:
        assert np.all(np.diff(width) < 0)
    assert np.all(widths[0] < widths[1]) and np.all(widths[1] < widths[2])
    # The elastic widths the magnon nuisances' docstring quotes.
    np.testing.assert_allclose([width[0] for width in widths], [0.33, 0.55, 0.74], atol=0.005)


@pytest.mark.parametrize("kwargs, match", [
    ({"package": "Z"}, "package must be one of"),
    ({"incident_energy": -1.0}, "incident_energy must be in"),
    ({"chopper_frequency": 700.0}, "chopper_frequency must be in"),
    ({"energy_transfer": 30.0}, "below incident_energy"),
    ({"package": "A", "chopper_frequency": 400.0}, "transmits no neutrons"),
])
def test_bad_arguments(kwargs, match):
    settings = {"energy_transfer": 0.0, "incident_energy": 25.0, "chopper_frequency": 400.0,
                **kwargs}
    with pytest.raises(ValueError, match=match):
        chopper_energy_resolution(settings.pop("energy_transfer"), **settings)
