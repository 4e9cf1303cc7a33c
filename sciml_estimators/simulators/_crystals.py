r"""Crystals for the DMS simulator: lattices, structure factors, reflections.

A crystal is its lattice parameters and the atoms of its unit cell (atomic
number and fractional position). The reflection conditions of the structure
type follow from the structure factor

.. math::

    F(hkl) = \sum_j Z_j \exp\left[2\pi i (h x_j + k y_j + l z_j)\right],

with the atomic form factors approximated by the atomic numbers :math:`Z_j`
(no fall-off with :math:`|G|` and no thermal factor): reflections with
:math:`|F|^2` below ``1e-8`` of :math:`(\sum_j Z_j)^2` are extinct. For the
diamond structure this leaves :math:`h, k, l` all odd, or all even with
:math:`h + k + l = 4n`.

The crystal frame is Cartesian with :math:`a` along :math:`x` and :math:`b` in
the :math:`xy` plane. A surface is a direct-lattice direction :math:`[uvw]`;
the sample frame has that direction along :math:`z` and the projection of
:math:`a` (of :math:`b` if :math:`a` is normal to the surface) on the surface
along :math:`x`, so that :math:`\psi = 0` puts it there.
"""

import math

import numpy as np

__all__ = ["dms_symmetry_period"]

_FCC = [(0.0, 0.0, 0.0), (0.0, 0.5, 0.5), (0.5, 0.0, 0.5), (0.5, 0.5, 0.0)]


def _diamond(z):
    shifted = [(x + 0.25, y + 0.25, w + 0.25) for x, y, w in _FCC]
    return [(z, p) for p in _FCC + shifted]


def _rutile(u=0.3048):
    ti = [(0.0, 0.0, 0.0), (0.5, 0.5, 0.5)]
    o = [(u, u, 0.0), (1 - u, 1 - u, 0.0), (0.5 + u, 0.5 - u, 0.5), (0.5 - u, 0.5 + u, 0.5)]
    return [(22, p) for p in ti] + [(8, p) for p in o]


#: name -> (lattice (a, b, c in Angstrom, alpha, beta, gamma in degrees),
#: atoms [(Z, (x, y, z)), ...], description).
CRYSTALS = {
    "Si": ((5.431, 5.431, 5.431, 90.0, 90.0, 90.0), _diamond(14), "silicon, diamond"),
    "Ge": ((5.658, 5.658, 5.658, 90.0, 90.0, 90.0), _diamond(32), "germanium, diamond"),
    "Cu": ((3.615, 3.615, 3.615, 90.0, 90.0, 90.0), [(29, p) for p in _FCC],
           "copper, face-centred cubic"),
    "SrTiO3": ((3.905, 3.905, 3.905, 90.0, 90.0, 90.0),
               [(38, (0.0, 0.0, 0.0)), (22, (0.5, 0.5, 0.5)), (8, (0.5, 0.5, 0.0)),
                (8, (0.5, 0.0, 0.5)), (8, (0.0, 0.5, 0.5))],
               "strontium titanate, cubic perovskite"),
    "TiO2": ((4.594, 4.594, 2.959, 90.0, 90.0, 90.0), _rutile(), "rutile, tetragonal"),
    "Mg": ((3.209, 3.209, 5.211, 90.0, 90.0, 120.0),
           [(12, (1 / 3, 2 / 3, 0.25)), (12, (2 / 3, 1 / 3, 0.75))],
           "magnesium, hexagonal close-packed"),
}

#: Reflections weaker than this fraction of (sum Z)^2 are extinct.
_EXTINCT = 1e-8


def check_crystal(crystal):
    """Return the registry entry of ``crystal``, or raise listing the known names."""
    if not isinstance(crystal, str) or crystal not in CRYSTALS:
        raise ValueError(
            f"Unknown crystal {crystal!r}; known crystals are {', '.join(sorted(CRYSTALS))}."
        )
    return CRYSTALS[crystal]


def direct_basis(lattice):
    """Rows: the Cartesian a, b, c vectors in Angstrom (a along x, b in xy)."""
    a, b, c, alpha, beta, gamma = lattice
    ca, cb, cg = (math.cos(math.radians(x)) for x in (alpha, beta, gamma))
    sg = math.sin(math.radians(gamma))
    cx = c * cb
    cy = c * (ca - cb * cg) / sg
    cz = math.sqrt(c * c - cx * cx - cy * cy)
    return np.array([[a, 0.0, 0.0], [b * cg, b * sg, 0.0], [cx, cy, cz]])


def surface_frame(crystal, surface):
    """Rotation (rows: sample x, y, z in the crystal frame) for a surface [uvw]."""
    surface = np.asarray(surface, dtype=float)
    if surface.shape != (3,) or not np.all(np.isfinite(surface)) or not np.any(surface):
        raise ValueError(
            f"surface must be a non-zero direction [u, v, w] of 3 finite numbers; got {surface!r}."
        )
    basis = direct_basis(check_crystal(crystal)[0])
    normal = surface @ basis
    normal /= np.linalg.norm(normal)
    for reference in basis[:2]:
        in_plane = reference - (reference @ normal) * normal
        if np.linalg.norm(in_plane) > 1e-6 * np.linalg.norm(reference):
            break
    e1 = in_plane / np.linalg.norm(in_plane)
    return np.array([e1, np.cross(normal, e1), normal])


def reflections(crystal, g_max, surface=(0, 0, 1)):
    """Allowed reflections with 0 < |G| < ``g_max`` (1/Angstrom), in the sample frame.

    Returns ``(hkl, G, F2)``: integer indices of shape (n, 3), reciprocal-lattice
    vectors of shape (n, 3) in 1/Angstrom with the surface normal along z, and
    :math:`|F|^2` of shape (n,) with atomic form factors equal to Z.
    """
    lattice, atoms, _ = check_crystal(crystal)
    basis = direct_basis(lattice)
    reciprocal = 2 * np.pi * np.linalg.inv(basis)  # columns: a*, b*, c*
    h_max = [int(g_max * np.linalg.norm(row) / (2 * np.pi)) for row in basis]
    axes = [np.arange(-m, m + 1) for m in h_max]
    hkl = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
    g = hkl @ reciprocal.T
    norm = np.linalg.norm(g, axis=1)
    keep = (norm > 0) & (norm < g_max)
    hkl, g = hkl[keep], g[keep]
    z = np.array([atom[0] for atom in atoms], dtype=float)
    xyz = np.array([atom[1] for atom in atoms])
    f = np.exp(2j * np.pi * (hkl @ xyz.T)) @ z
    f2 = f.real**2 + f.imag**2
    allowed = f2 > _EXTINCT * z.sum() ** 2
    return hkl[allowed], g[allowed] @ surface_frame(crystal, surface).T, f2[allowed]


def dms_symmetry_period(crystal="Si", surface=(0, 0, 1)):
    """Period in degrees of the DMS pattern in the azimuth psi.

    The pattern is a sum over reflections weighted by :math:`|F|^2`, so it
    repeats when the crystal is turned about the surface normal by an angle
    that maps the weighted reciprocal lattice onto itself: 360/n for the
    largest n in (6, 4, 3, 2) that does, else 360. Found numerically from the
    reflections with :math:`|G|` up to four times the longest reciprocal basis
    vector.

    Parameters
    ----------
    crystal : str, default="Si"
        A crystal of the registry: ``"Si"``, ``"Ge"``, ``"Cu"``, ``"SrTiO3"``,
        ``"TiO2"`` (rutile) or ``"Mg"``.
    surface : array-like of shape (3,), default=(0, 0, 1)
        Direct-lattice direction [uvw] of the surface normal, the rotation axis.

    Returns
    -------
    period : float
        The period in degrees: 90 for a cubic or tetragonal [001] surface,
        120 for cubic [111], 180 for cubic [110], 60 for hexagonal [001].

    Raises
    ------
    ValueError
        If ``crystal`` is not in the registry or ``surface`` is not a non-zero
        3-vector.

    Examples
    --------
    >>> from sciml_estimators.simulators import dms_symmetry_period
    >>> dms_symmetry_period("Si"), dms_symmetry_period("Si", (1, 1, 1))
    (90.0, 120.0)
    >>> dms_symmetry_period("Mg"), dms_symmetry_period("TiO2", (1, 0, 0))
    (60.0, 180.0)
    """
    lattice, _, _ = check_crystal(crystal)
    reciprocal = 2 * np.pi * np.linalg.inv(direct_basis(lattice))
    g_max = 4.0 * np.linalg.norm(reciprocal, axis=0).max() * (1 + 1e-9)
    _, g, f2 = reflections(crystal, g_max, surface)
    scale = np.linalg.norm(g, axis=1).max()
    for n in (6, 4, 3, 2):
        angle = 2 * np.pi / n
        c, s = math.cos(angle), math.sin(angle)
        turned = g @ np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])
        distance = np.linalg.norm(turned[:, None, :] - g[None, :, :], axis=-1)
        nearest = distance.argmin(axis=1)
        if (np.all(distance[np.arange(len(g)), nearest] < 1e-7 * scale)
                and np.allclose(f2[nearest], f2, rtol=1e-7)):
            return 360.0 / n
    return 360.0
