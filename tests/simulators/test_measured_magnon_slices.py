"""measured_magnon_slices: each condition of a MARI measurement against its physics."""

import numpy as np
import pytest
from scipy.special import erf, voigt_profile

from sciml_estimators.simulators import (
    chopper_energy_resolution,
    magnon_dispersion,
    magnon_slices,
    measured_magnon_slices,
)
from sciml_estimators.simulators._pseudo_voigt import _arctan, _erf

LATTICE, K_B, NEUTRON = 4.215, 0.0861733, 2.0721
FWHM_PER_SIGMA = 2.0 * np.sqrt(2.0 * np.log(2.0))
J, J2 = 0.6544, 0.012
#: Wavevectors reached at every energy transfer within +-9 meV from E_i = 15 meV
#: up, given detectors all round and a full rotation (Q >= k_i - k_f).
H = np.array([0.5, 0.75, 0.6, 0.5, 0.7, 0.9])
K = np.array([0.0, 0.25, 0.4, 0.5, 0.1, 0.3])
EDGES = np.linspace(0.0, 9.0, 129)
#: Every (h, k, E) measured: detectors all round, a full rotation.
EVERYWHERE = {"two_theta_range": (0.0, 180.0), "rotation_range": (-180.0, 180.0)}
QUIET = {"incident_energy": 25.0, "temperature": 0.0, "damping": 0.0, "mosaic": 0.0,
         "elastic": 0.0, "phonon": 0.0, "multiple_scattering": 0.0}


def simulate(h=H, k=K, edges=EDGES, n_banks=33, efficiency=None, **conditions):
    settings = {**QUIET, **EVERYWHERE, **conditions}
    if efficiency is None:
        efficiency = np.ones((1, n_banks))
    images, measured = measured_magnon_slices(J, J2, h=h, k=k, energy_edges=edges,
                                              efficiency=efficiency, **settings)
    return images[0].astype(float), measured[0]


def centres(edges=EDGES):
    return 0.5 * (edges[1:] + edges[:-1])


def test_arctan_and_erf_tables_within_their_stated_error():
    x = np.concatenate([np.linspace(-100.0, 100.0, 200001), [0.0, 4.0, -4.0, 64.0, 1e6]])
    assert np.max(np.abs(np.array([_arctan(value) for value in x]) - np.arctan(x))) < 2.2e-7
    x = np.concatenate([np.linspace(-8.0, 8.0, 160001), [6.0, -6.0, 1e3]])
    assert np.max(np.abs(np.array([_erf(value) for value in x]) - erf(x))) < 1.2e-7


def test_without_nuisances_each_column_is_magnon_slices_at_its_modes_resolution():
    """The resolution varies with energy transfer: each mode takes the width at its energy."""
    images, measured = simulate(incident_energy=25.0)
    assert measured.all()
    omega = magnon_dispersion(H, K, J=J, J2=J2)
    width = chopper_energy_resolution(omega, incident_energy=25.0, chopper_frequency=400.0)
    for p in range(H.size):
        expected = magnon_slices(J, J2, h=H[p:p + 1], k=K[p:p + 1], energy_edges=EDGES,
                                 temperature=0.0, resolution_fwhm=width[p],
                                 incident_energy=25.0)[0, :, 0]
        # The kernel interpolates the widths from a table every 0.05 meV.
        np.testing.assert_allclose(images[:, p], expected, rtol=2e-4, atol=1e-6 * expected.max())


def test_detailed_balance_and_the_bose_factor():
    edges = np.linspace(-9.0, 9.0, 257)
    omega = magnon_dispersion(H, K, J=J, J2=J2)
    kf_ki = np.sqrt(1.0 - centres(edges) / 25.0)[:, None]
    areas = {}
    for temperature in (10.0, 20.0):
        images, _ = simulate(edges=edges, temperature=temperature)
        spectrum = images / kf_ki * np.diff(edges)[:, None]  # S(Q, E) dE per bin
        gain, loss = spectrum[centres(edges) < 0].sum(0), spectrum[centres(edges) > 0].sum(0)
        # S(Q, -w) = exp(-w / kT) S(Q, w): energy gain against energy loss, where the
        # two peaks do not overlap across E = 0 (all but the gap at M).
        apart = omega > 2.0
        assert apart.sum() == 5
        np.testing.assert_allclose(gain[apart] / loss[apart],
                                   np.exp(-omega[apart] / (K_B * temperature)), rtol=1e-4)
        areas[temperature] = loss
    bose = {t: 1.0 / np.expm1(omega / (K_B * t)) for t in areas}
    # Magnon creation scales as n(w) + 1.
    np.testing.assert_allclose((areas[20.0] / areas[10.0])[apart],
                               ((bose[20.0] + 1) / (bose[10.0] + 1))[apart], rtol=1e-4)


def test_elastic_line_sits_at_zero_with_the_resolutions_width():
    edges = np.linspace(-3.0, 3.0, 241)
    base, _ = simulate(edges=edges, incident_energy=15.0)
    line, _ = simulate(edges=edges, incident_energy=15.0, elastic=2.0)
    elastic = (line - base) / np.sqrt(1.0 - centres(edges) / 15.0)[:, None]
    sigma = chopper_energy_resolution(0.0, incident_energy=15.0,
                                      chopper_frequency=400.0) / FWHM_PER_SIGMA
    expected = 2.0 * 0.5 * np.diff(erf(edges / (np.sqrt(2.0) * sigma))) / np.diff(edges)
    for p in range(H.size):  # the same at every Q: incoherent
        np.testing.assert_allclose(elastic[:, p], expected, rtol=1e-4, atol=1e-5)


def test_phonon_background_grows_with_q_and_energy():
    base, _ = simulate(temperature=10.0)
    phonons, _ = simulate(temperature=10.0, phonon=0.01, multiple_scattering=0.02)
    energy = centres()[:, None]
    q2 = (2 * np.pi / LATTICE) ** 2 * (H**2 + K**2)
    rise = energy / -np.expm1(-energy / (K_B * 10.0))  # E (n(E) + 1)
    expected = np.sqrt(1 - energy / 25.0) * (0.01 * q2 * rise + 0.02)
    np.testing.assert_allclose(phonons - base, expected, rtol=1e-4, atol=1e-5)
    order = np.argsort(q2)
    assert np.all(np.diff((phonons - base)[100][order]) > 0)  # grows with Q at 7 meV
    assert np.all(np.diff((phonons - base)[:, order[-1]]) > 0)  # and with E at the largest Q


def test_dead_banks_are_empty_and_live_banks_scale_with_efficiency():
    h = np.linspace(0.02, 0.98, 60)
    k = np.full(60, 0.3)
    settings = {"h": h, "k": k, "incident_energy": 25.0, "temperature": 5.0,
                "multiple_scattering": 0.05, "two_theta_range": (3.0, 135.0)}
    alive, alive_measured = simulate(efficiency=np.ones((1, 33)), **settings)
    efficiency = np.ones((1, 33))
    efficiency[0, [4, 10]] = 0.0  # dead: 19-23 and 43-47 degrees
    efficiency[0, 7] = 0.9
    images, measured = simulate(efficiency=efficiency, **settings)
    ki2 = 25.0 / NEUTRON
    kf2 = ki2 - centres()[:, None] / NEUTRON
    q2 = (2 * np.pi / LATTICE) ** 2 * (h**2 + k**2)
    two_theta = np.degrees(np.arccos(np.clip((ki2 + kf2 - q2) / (2 * np.sqrt(ki2 * kf2)), -1, 1)))
    dead = ((two_theta > 19) & (two_theta < 23)) | ((two_theta > 43) & (two_theta < 47))
    assert dead.sum() > 100
    assert np.all(images[dead] == 0) and not measured[dead].any()
    in_bank_7 = (two_theta > 31.01) & (two_theta < 34.99)
    np.testing.assert_allclose(images[in_bank_7], 0.9 * alive[in_bank_7], rtol=1e-6)
    other = ~dead & ~((two_theta > 30.99) & (two_theta < 35.01)) & alive_measured
    np.testing.assert_array_equal(images[other], alive[other])
    assert np.array_equal(measured, alive_measured & ~(images == 0))


def test_mosaic_broadens_a_dispersive_mode_by_its_transverse_spread():
    """A mosaic of FWHM m smears Q across by Q delta: the mode moves by delta dw/ddelta."""
    h, k = np.array([0.55]), np.array([0.2])
    edges = np.linspace(0.0, 9.0, 1801)
    energy = centres(edges)
    step = 1e-3
    turned = [magnon_dispersion(h * np.cos(a) - k * np.sin(a), h * np.sin(a) + k * np.cos(a),
                                J=J, J2=J2)[0] for a in (step, -step)]
    slope = (turned[0] - turned[1]) / (2 * step)
    assert abs(slope) > 1.0  # meV per radian: a dispersive direction
    widths = {}
    for mosaic in (0.0, 2.0):
        image, _ = simulate(h=h, k=k, edges=edges, incident_energy=35.0, mosaic=mosaic)
        profile = image[:, 0] / np.sqrt(1 - energy / 35.0)
        mean = np.sum(profile * energy) / profile.sum()
        widths[mosaic] = np.sum(profile * (energy - mean) ** 2) / profile.sum()
    sigma_delta = np.radians(2.0) / FWHM_PER_SIGMA
    np.testing.assert_allclose(widths[2.0] - widths[0.0], (slope * sigma_delta) ** 2, rtol=0.01)


def test_damping_gives_the_voigt_profile():
    h, k = np.array([0.5]), np.array([0.0])
    edges = np.linspace(0.0, 11.0, 1101)
    omega = magnon_dispersion(h, k, J=J, J2=J2)[0]
    sigma = chopper_energy_resolution(omega, incident_energy=35.0,
                                      chopper_frequency=400.0) / FWHM_PER_SIGMA
    plain, _ = simulate(h=h, k=k, edges=edges, incident_energy=35.0)
    damped, _ = simulate(h=h, k=k, edges=edges, incident_energy=35.0, damping=0.3)
    kf_ki = np.sqrt(1 - centres(edges) / 35.0)
    area = np.sum(plain[:, 0] / kf_ki) * 0.01
    voigt = area * voigt_profile(centres(edges) - omega, sigma, 0.3)
    # Thompson-Cox-Hastings: about 1 % of the peak everywhere.
    np.testing.assert_allclose(damped[:, 0] / kf_ki, voigt, atol=0.015 * voigt.max())
    # Lorentzian tails, where the Gaussian has none.
    far = np.abs(centres(edges) - omega) > 3.0
    assert np.all(plain[far, 0] == 0) and np.all(damped[far, 0] > 1e-3 * damped[:, 0].max())


def test_scale_multiplies_and_coverage_follows_the_incident_energy():
    images, measured = measured_magnon_slices(
        [J, J, J], [J2, J2, J2], h=np.linspace(0.02, 0.98, 50), k=np.full(50, 0.1),
        energy_edges=EDGES, efficiency=np.ones((3, 33)), scale=[1.0, 2.0, 1.0],
        **{**QUIET, "multiple_scattering": 0.01, "incident_energy": [25.0, 25.0, 15.0]})
    np.testing.assert_array_equal(images[1], 2 * images[0])
    # The kinematic limits (k_i - k_f <= Q <= k_i + k_f over the detectors) hide more
    # at E_i = 15 meV.
    assert measured[2].sum() < 0.9 * measured[0].sum()


@pytest.mark.parametrize("change, match", [
    ({"efficiency": np.ones((2, 33))}, "efficiency must be"),
    ({"temperature": -1.0}, "temperature must be finite and at least 0"),
    ({"incident_energy": 8.0}, "incident_energy must exceed the last energy edge"),
    ({"damping": [0.1, 0.2]}, "damping"),
])
def test_bad_arguments(change, match):
    settings = {**QUIET, "efficiency": np.ones((1, 33)), **change}
    with pytest.raises(ValueError, match=match):
        measured_magnon_slices(J, J2, h=H, k=K, energy_edges=EDGES, **settings)
