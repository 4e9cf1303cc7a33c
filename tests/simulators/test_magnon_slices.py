import numpy as np
import pytest

from sciml_estimators.simulators import magnon_dispersion, magnon_intensity, magnon_slices

H = np.array([0.5, 0.75, 0.6, 0.5, 0.3, 0.05])
K = np.array([0.0, 0.25, 0.4, 0.5, 0.3, 0.0])
EDGES = np.linspace(0.0, 9.0, 129)
FAR = 1e9  # an incident energy so high that k_f/k_i = 1 to 1e-8


def _bin_average(J, J2, h, k, edges, **settings):
    """Average of magnon_intensity over each bin by 24-point Gauss-Legendre quadrature."""
    nodes, weights = np.polynomial.legendre.leggauss(24)
    low, high = edges[:-1, None], edges[1:, None]
    energy = (low + high) / 2 + (high - low) / 2 * nodes
    values = magnon_intensity(h, k, energy[..., None], J=J, J2=J2, **settings)
    return np.einsum("q,eqp->ep", weights, values) / 2


@pytest.mark.parametrize("J, J2, temperature", [(0.6544, 0.012, 4.0), (0.5, 0.03, 30.0),
                                                (0.8, 0.0, 0.0)])
def test_bin_average_of_magnon_intensity(J, J2, temperature):
    image = magnon_slices(J, J2, h=H, k=K, energy_edges=EDGES, temperature=temperature,
                          incident_energy=FAR)[0]
    expected = _bin_average(J, J2, H, K, EDGES, temperature=temperature, resolution_fwhm=0.4)
    np.testing.assert_allclose(image, expected, rtol=1e-5, atol=1e-7 * expected.max())


def test_kf_ki_factor_at_bin_centres():
    near = magnon_slices(0.6544, 0.012, h=H, k=K, energy_edges=EDGES, incident_energy=8.0)[0]
    far = magnon_slices(0.6544, 0.012, h=H, k=K, energy_edges=EDGES, incident_energy=FAR)[0]
    centres = (EDGES[1:] + EDGES[:-1]) / 2
    ratio = np.sqrt(np.clip(1 - centres / 8.0, 0, None))
    np.testing.assert_allclose(near, (far * ratio[:, None]).astype(np.float32), rtol=1e-6)
    assert np.all(near[centres >= 8.0] == 0)


def test_peaks_follow_the_dispersion():
    edges = np.linspace(0.0, 9.0, 1801)
    centres = (edges[1:] + edges[:-1]) / 2
    for J, J2 in [(0.6544, 0.012), (0.55, 0.025)]:
        image = magnon_slices(J, J2, h=H[:3], k=K[:3], energy_edges=edges,
                              resolution_fwhm=0.05)[0]
        peaks = centres[np.argmax(image, axis=0)]
        np.testing.assert_allclose(peaks, magnon_dispersion(H[:3], K[:3], J=J, J2=J2),
                                   atol=0.006)


def test_batch_equals_single_images_and_coverage_zeroes_bins():
    J, J2 = np.array([0.5, 0.6, 0.7, 0.8]), np.array([0.0, 0.01, 0.02, 0.03])
    coverage = np.random.default_rng(0).random((128, H.size)) > 0.3
    batch = magnon_slices(J, J2, h=H, k=K, energy_edges=EDGES, coverage=coverage)
    full = magnon_slices(J, J2, h=H, k=K, energy_edges=EDGES)
    for i in range(J.size):
        single = magnon_slices(J[i], J2[i], h=H, k=K, energy_edges=EDGES)[0]
        np.testing.assert_array_equal(full[i], single)
    np.testing.assert_array_equal(batch, np.where(coverage, full, 0))
    assert batch.dtype == np.float32 and batch.shape == (4, 128, H.size)


@pytest.mark.parametrize("kwargs, match", [
    ({"J": [0.6, -0.1]}, "sample 1 has J = -0.1"),
    ({"J2": [0.01, 0.4]}, "unstable for sample 1"),
    ({"J2": [0.01]}, "equal length"),
    ({"J": [0.6, np.nan]}, "J must be finite"),
    ({"energy_edges": [1.0, 0.5]}, "increasing"),
    ({"h": [0.1, 0.2]}, "h and k must be 1-D of equal length"),
    ({"coverage": np.ones((3, 3), bool)}, r"coverage must have shape \(n_energy, n_path\)"),
    ({"resolution_fwhm": 0.0}, "resolution_fwhm must be positive"),
    ({"temperature": -1.0}, "temperature must be non-negative"),
    ({"S": 0.0}, "S must be positive"),
])
def test_bad_input(kwargs, match):
    arguments = {"J": [0.6, 0.7], "J2": [0.01, 0.02], "h": H, "k": K, "energy_edges": EDGES,
                 **kwargs}
    J, J2 = arguments.pop("J"), arguments.pop("J2")
    with pytest.raises(ValueError, match=match):
        magnon_slices(J, J2, **arguments)
