import inspect

import numpy as np
import pytest

from sciml_estimators.simulators import magnon_dispersion
from sciml_estimators.simulators._square_lattice_magnons import PARAMETERS, REFERENCE

# (J, J2, dz) across the dataset's range, plus a strong anisotropy, no
# anisotropy and a ferromagnetic J2.
CASES = [
    (0.6544, 0.012, 0.0048),
    (0.5, 0.0, 0.0048),
    (0.5, 0.03, 0.0048),
    (0.8, 0.03, 0.0048),
    (0.71, 0.017, 0.05),
    (0.6, 0.02, 0.0),
    (0.6, -0.05, 0.0048),
]


def test_parameter_table_matches_signature():
    signature = inspect.signature(magnon_dispersion).parameters
    assert [row[0] for row in PARAMETERS] == list(signature)[2:]
    for name, _, default, _, _ in PARAMETERS:
        expected = inspect.Parameter.empty if default is None else default
        assert signature[name].default == expected


@pytest.mark.parametrize("params, hk, expected, source", REFERENCE)
def test_reference_values(params, hk, expected, source):
    np.testing.assert_allclose(magnon_dispersion(*hk, **params), expected, rtol=1e-14,
                               err_msg=source)


@pytest.mark.parametrize("J, J2, dz", CASES)
@pytest.mark.parametrize("S", [2.5, 0.5])
def test_closed_forms(J, J2, dz, S):
    hk = np.array([[0, 0], [0.5, 0.5], [0.5, 0], [0, 0.5], [0.25, 0.25], [0.75, 0.25]])
    actual = magnon_dispersion(hk[:, 0], hk[:, 1], J=J, J2=J2, S=S, dz=dz)
    gap = 4 * J * S * np.sqrt(2 * dz + dz**2)
    x_point = 4 * S * (J * (1 + dz) - 2 * J2)
    diagonal = 4 * S * (J * (1 + dz) - J2)
    expected = [gap, gap, x_point, x_point, diagonal, diagonal]
    # Measured: below 3e-16 (the gap through (A - B)(A + B) in sin^2/cos^2 form);
    # with dz = 0 the zero gap at (1/2, 1/2) comes out as ~1e-16 * 4JS.
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-15 * 4 * J * S)


def _lswt_energies(h, k, J, J2, S, dz):
    """Independent LSWT: generic Holstein-Primakoff builder on a bond list.

    Sites 0 (up) and 1 (down) of the Neel cell; each bond once, as (i, j,
    displacement in units of a, 3x3 exchange matrix). Spins S_i = sqrt(S/2)
    (conj(u_i) a_i + u_i a_i^+) + v_i (S - a_i^+ a_i) with u = x' + i y' and
    v = z' of the local frame. Returns the positive eigenvalues of g M(k).
    """
    frames = [np.eye(3), np.diag([1.0, -1.0, -1.0])]  # down: pi rotation about x
    u = [frame[:, 0] + 1j * frame[:, 1] for frame in frames]
    v = [frame[:, 2] for frame in frames]
    nn = J * np.diag([1.0, 1.0, 1.0 + dz])
    nnn = J2 * np.eye(3)
    bonds = [(0, 1, d, nn) for d in [(1, 0), (-1, 0), (0, 1), (0, -1)]]
    bonds += [(i, i, d, nnn) for i in (0, 1) for d in [(1, 1), (1, -1)]]

    def blocks(q):
        normal = np.zeros((2, 2), complex)
        anomalous = np.zeros((2, 2), complex)
        for i, j, d, exchange in bonds:
            phase = np.exp(1j * np.dot(q, d))
            hop = S / 2 * u[i] @ exchange @ np.conj(u[j]) * phase
            pair = S / 2 * u[i] @ exchange @ u[j]
            normal[i, j] += hop
            normal[j, i] += np.conj(hop)
            anomalous[i, j] += pair * phase
            anomalous[j, i] += pair / phase
            onsite = S * v[i] @ exchange @ v[j]
            normal[i, i] -= onsite
            normal[j, j] -= onsite
        return normal, anomalous

    q = 2 * np.pi * np.array([h, k])
    normal, anomalous = blocks(q)
    normal_minus, _ = blocks(-q)
    matrix = np.block([[normal, anomalous], [anomalous.conj().T, normal_minus.conj()]])
    eigenvalues = np.linalg.eigvals(np.diag([1.0, 1.0, -1.0, -1.0]) @ matrix)
    np.testing.assert_allclose(eigenvalues.imag, 0, atol=1e-9)
    return np.sort(eigenvalues.real)[2:]


@pytest.mark.parametrize("J, J2, dz", CASES)
def test_matches_independent_lswt(J, J2, dz):
    rng = np.random.default_rng(0)
    hk = rng.uniform(-1, 1, size=(50, 2))
    hk = np.vstack([hk, [[0.5, 0.0], [0.25, 0.25]]])
    if dz > 0:
        # With dz = 0 the modes at (0, 0) and (1/2, 1/2) are zero, gM is defective
        # there and a numerical eigensolver only gets them to ~sqrt(eps) * 4JS.
        hk = np.vstack([hk, [[0.0, 0.0], [0.5, 0.5]]])
    actual = magnon_dispersion(hk[:, 0], hk[:, 1], J=J, J2=J2, dz=dz)
    for (h, k), energy in zip(hk, actual):
        modes = _lswt_energies(h, k, J, J2, 2.5, dz)
        # Two degenerate branches (the two sublattices). Measured: below 3e-14
        # where the gap is nonzero.
        np.testing.assert_allclose(modes, energy, rtol=1e-10, atol=1e-12)


def _pyspinw_energies(h, k, J, J2, S, dz):
    """Magnon energies from pyspinw (Rust LSWT core) at chemical-cell (h, k, 0).

    The Neel state needs two sites per cell: pyspinw gets the sqrt(2) x sqrt(2)
    cell A1 = a(1, 1), A2 = a(-1, 1), with the up spin at (0, 0, 0) and the down
    spin at (1/2, 1/2, 0) (the chemical site a(0, 1)). pyspinw takes each
    Exchange object as one bond (it adds the reversed coupling itself) with
    H = S_i . J . S_j and J > 0 antiferromagnetic, as our docstring: per cell
    four nearest-neighbour up-down bonds (offsets below are the chemical
    neighbours a(0, 1), a(1, 0), a(-1, 0), a(0, -1)) and two
    next-nearest-neighbour bonds per site (A1 and A2). In the rotated cell's
    reciprocal-lattice units (H', K') = (h + k, k - h).
    """
    from pyspinw import (DiagonalExchange, Hamiltonian, HeisenbergExchange, Path, Site,
                         Structure, UnitCell)

    side = 4.215 * np.sqrt(2)
    up = Site(0, 0, 0, 0, 0, S, name="up")
    down = Site(0.5, 0.5, 0, 0, 0, -S, name="down")
    exchanges = [DiagonalExchange(up, down, J, J, J * (1 + dz), cell_offset=offset)
                 for offset in [(0, 0, 0), (0, -1, 0), (-1, 0, 0), (-1, -1, 0)]]
    exchanges += [HeisenbergExchange(site, site, J2, cell_offset=offset)
                  for site in (up, down) for offset in [(1, 0, 0), (0, 1, 0)]]
    hamiltonian = Hamiltonian(Structure([up, down], UnitCell(side, side, 10.0)), exchanges)
    q = np.column_stack([h + k, k - h, np.zeros_like(h)])
    # Two points per segment without endpoint avoidance: q_points() is q itself.
    path = Path(q, n_points_per_segment=2, avoid_endpoints=False)
    assert np.array_equal(path.q_points(), q)
    energies, _ = hamiltonian.energies_and_intensities(path, use_rust=True)
    energies = np.asarray(energies)
    assert np.all(energies.imag == 0)
    return energies.real


@pytest.mark.parametrize("J, J2, S, dz", [
    (0.6544, 0.012, 2.5, 0.0048),  # Rb2MnF4 (Cowley et al. 1977)
    (0.8, 0.0, 2.5, 0.0048),
    (0.6, 0.2, 2.5, 0.05),  # strong frustration, J2/J = 1/3
    (0.5, 0.03, 0.5, 0.0048),
])
def test_matches_pyspinw(J, J2, S, dz):
    pytest.importorskip("pyspinw", reason="pyspinw (pip install --pre pyspinw) is not installed")
    pytest.importorskip("pyspinw.rust", reason="pyspinw's compiled Rust core is missing")
    rng = np.random.default_rng(2)
    hk = np.vstack([rng.uniform(-1, 1, size=(40, 2)),
                    [[0, 0], [0.5, 0], [0.25, 0.25], [0.5, 0.5], [0.3, -0.7]]])
    h, k = hk.T
    modes = _pyspinw_energies(h, k, J, J2, S, dz)
    # pyspinw returns 2 x 2 sites = 4 eigenvalues per q: -w, -w', w', w (energy
    # loss and gain). In the doubled (magnetic) cell the chemical-cell modes at
    # (h, k) and at (h + 1/2, k + 1/2) fold onto the same q; they are degenerate
    # (test_symmetry_and_periodicity), so both positive eigenvalues must equal
    # our w(h, k) and the negative ones -w(h, k).
    expected = magnon_dispersion(h, k, J=J, J2=J2, S=S, dz=dz)
    folded = magnon_dispersion(h + 0.5, k + 0.5, J=J, J2=J2, S=S, dz=dz)
    modes = np.sort(modes, axis=1)
    # Measured: at most 5.7e-11 relative (S = 1/2; 8.7e-12 for S = 5/2), at the
    # gap (0, 0), where pyspinw's 1e-12 diagonal shift that splits degenerate
    # modes is amplified by A/w; median 1e-13 to 1e-12.
    np.testing.assert_allclose(modes[:, 2:], np.column_stack([expected, folded]), rtol=1e-8)
    np.testing.assert_allclose(modes[:, :2], -np.column_stack([expected, folded]), rtol=1e-8)


@pytest.mark.parametrize("J, J2, dz", CASES)
def test_symmetry_and_periodicity(J, J2, dz):
    rng = np.random.default_rng(1)
    h, k = rng.uniform(-1, 1, size=(2, 200))
    params = {"J": J, "J2": J2, "dz": dz}
    energy = magnon_dispersion(h, k, **params)
    for other in [(-h, k), (h, -k), (k, h), (h + 1, k), (h, k - 1), (h + 3, k + 2),
                  (h + 0.5, k + 0.5)]:
        # (h + 1/2, k + 1/2): the magnetic zone is half the chemical one.
        np.testing.assert_allclose(magnon_dispersion(*other, **params), energy,
                                   rtol=1e-12, atol=0)


def test_broadcasting_shapes():
    params = {"J": 0.65, "J2": 0.01}
    h = np.linspace(0, 1, 4)
    k = np.linspace(0, 1, 3)
    assert magnon_dispersion(h[:, None], k, **params).shape == (4, 3)
    assert magnon_dispersion(h, 0.1, **params).shape == (4,)
    assert magnon_dispersion(0.1, [[0.2]], **params).shape == (1, 1)
    scalar = magnon_dispersion(0.1, 0.2, **params)
    assert np.ndim(scalar) == 0 and isinstance(scalar, np.floating)
    grid = magnon_dispersion(h[:, None], k, **params)
    np.testing.assert_array_equal(
        grid, [[magnon_dispersion(a, b, **params) for b in k] for a in h]
    )
    assert magnon_dispersion([], [], **params).shape == (0,)


def test_stability_limit_is_accepted_with_a_soft_mode():
    J, dz = 0.6, 0.0048
    J2 = J * (1 + dz) / 2
    assert magnon_dispersion(0.5, 0.0, J=J, J2=J2, dz=dz) == pytest.approx(0, abs=1e-12)
    h, k = np.meshgrid(np.linspace(0, 1, 65), np.linspace(0, 1, 65))
    assert np.all(np.isfinite(magnon_dispersion(h, k, J=J, J2=J2, dz=dz)))


@pytest.mark.parametrize(
    "params, match",
    [
        ({"J": 0.0}, r"J must be positive \(antiferromagnetic"),
        ({"J": -0.5}, r"J must be positive"),
        ({"S": 0.0}, r"S must be positive \(spin length\); got 0.0"),
        ({"dz": -0.001}, r"dz must be non-negative; got -0.001: an easy-plane"),
        ({"J": 0.6, "J2": 0.302}, r"unstable for J2/J = 0.50333.* > \(1 \+ dz\)/2 = 0.5024"),
        ({"J": np.nan}, r"J must be finite; got nan"),
        ({"J2": np.inf}, r"J2 must be finite; got inf"),
        ({"S": "spin"}, r"S must be a real scalar; got 'spin'"),
        ({"dz": [0.1, 0.2]}, r"dz must be a real scalar"),
        ({"J": np.array([0.6])}, r"J must be a real scalar"),
    ],
)
def test_bad_parameters(params, match):
    params = {"J": 0.65, "J2": 0.01, **params}
    with pytest.raises(ValueError, match=match):
        magnon_dispersion(0.1, 0.2, **params)


@pytest.mark.parametrize(
    "h, k, match",
    [
        ([0.1, np.nan], 0.2, r"h must be finite \(reciprocal-lattice units\); got nan"),
        (0.1, [[0.0, np.inf]], r"k must be finite .*; got inf"),
        ([0.1, 0.2], [0.1, 0.2, 0.3], r"h and k must broadcast .* \(2,\) and \(3,\)"),
    ],
)
def test_bad_wavevectors(h, k, match):
    with pytest.raises(ValueError, match=match):
        magnon_dispersion(h, k, J=0.65, J2=0.01)
