r"""Diffuse multiple scattering (DMS): Kossel-cone lines on an area detector.

Definition
----------

X-rays scattered diffusely inside a crystal act as a source in every
direction; those that meet a Bragg condition are scattered again, which draws
lines on a detector (Nisbet et al. 2015). With :math:`k = 2\pi/\lambda`,
:math:`\lambda = 12.3984 / E` (Angstrom, :math:`E` in keV), a reciprocal-
lattice vector :math:`\mathbf{G}` lights the scattered directions
:math:`\hat{\mathbf{k}}_f` with

.. math::

    \hat{\mathbf{k}}_f \cdot \hat{\mathbf{G}} = \frac{|\mathbf{G}|}{2k}
        = \frac{\lambda}{2 d_{hkl}} = \sin\theta_B = \cos\alpha ,

a Kossel cone of half-angle :math:`\alpha = 90^\circ - \theta_B` about
:math:`\mathbf{G}`; only reflections with :math:`|\mathbf{G}| < 2k` have one.
In the laboratory frame :math:`\mathbf{G} = T\, R_z(\psi)\, U B\,(hkl)`:
:math:`B` maps Miller indices to the Cartesian crystal frame, :math:`U` turns
the surface normal to :math:`z` (:mod:`._crystals`), :math:`R_z(\psi)` is the
azimuth about the surface normal, counter-clockwise seen from the detector,
and :math:`T` a small mis-orientation of that axis in the laboratory (a tilt
about :math:`x` and :math:`y`). As :math:`T` acts after :math:`R_z(\psi)`, a
tilted pattern keeps the period of the untilted one. Only the reflections the
structure allows count (:math:`|F|^2 > 0`; diamond for Si, :math:`a = 5.431`
Angstrom).

Detector. A flat area detector faces the surface, perpendicular to the surface
normal at ``distance_mm`` (back-reflection; the incident beam, which the lines
do not depend on, passes through its centre). Pixel :math:`(i, j)` of an
:math:`H \times W` image sits at
:math:`x = (j - \frac{W-1}{2}) p + c_x`, :math:`y = (i - \frac{H-1}{2}) p + c_y`,
:math:`z = D`, and sees :math:`\hat{\mathbf{k}}_f = (x, y, D)/\|(x, y, D)\|`.
The default, :math:`D = 80` mm and :math:`p = 0.75` mm on 128 x 128 pixels
(up to 40 degrees from the normal), sees 84 to 92 of the 246 Si cones at 8 keV,
depending on psi.

Line profile and intensity. Each line is a Gaussian in
:math:`\hat{\mathbf{k}}_f \cdot \hat{\mathbf{G}}`, weighted by
:math:`w_G = |F_G|^2 / \max |F|^2`,

.. math::

    L_G = w_G \exp\left[-\frac{(\hat{\mathbf{k}}_f \cdot \hat{\mathbf{G}}
          - \cos\alpha)^2}{2\sigma^2}\right], \qquad
    \sigma^2 = \left(\cos\alpha\,\frac{\Delta E}{E}\right)^2
        + \sin^2\alpha\,\left(\delta^2 + \eta^2 + \left(\frac{p}{2D}\right)^2\right),

from the bandwidth :math:`\Delta E/E` (which moves :math:`\cos\alpha
\propto \lambda`), the divergence :math:`\delta` and mosaic spread
:math:`\eta` (which turn the cone by an angle, :math:`\sin\alpha` in cosine),
all r.m.s. and in radians, and a pixel term :math:`p/2D` so that a line is
sampled without gaps. Profiles are cut at :math:`5\sigma`. The pixel value is

.. math::

    I = \sum_G L_G + \frac{\beta}{2}\left[\left(\sum_G L_G\right)^2
        - \sum_G L_G^2\right] = \sum_G L_G + \beta \sum_{G < G'} L_G L_{G'} ,

the sum of the lines plus, with the *crossing* factor :math:`\beta`, a boost
where two lines cross (the three-beam condition that makes DMS crossings
bright), the lowest-order term of multiple scattering. Atomic form factors are
approximated by the atomic numbers (no fall-off with :math:`|G|`, no
Debye-Waller factor, no Lorentz-polarisation or absorption factor): relative
line strengths are those of the structure factor only.

Validation
----------

Tested against the Bragg angles of silicon for Cu K-alpha-1 (``REFERENCE``),
the cone condition on the pixels of every line, the analytic circle of the
(004) cone, :math:`I(\psi + \text{period}) = I(\psi)` with the period of
:func:`~sciml_estimators.simulators.dms_symmetry_period`, the mirror
:math:`I(-\psi)` = :math:`I(\psi)` flipped in :math:`y` for Si [001], and a
plain NumPy version of the kernel (``benchmarks/benchmark_dms_simulator.py``).

References
----------

.. [1] A. G. A. Nisbet, G. Beutier, F. Fabrizi, B. Moser and S. P. Collins,
   "Diffuse multiple scattering", *Acta Cryst.* A71, 20-25 (2015).
.. [2] W. Kossel, V. Loeck and H. Voges, "Die Richtungsverteilung der in einem
   Kristall entstandenen charakteristischen Roentgenstrahlung",
   *Z. Phys.* 94, 139-144 (1935).
.. [3] T. Hey, K. Butler, S. Jackson and J. Thiyagalingam, "Machine learning
   and big scientific data", *Phil. Trans. R. Soc. A* 378, 20190054 (2020).
"""

import math
from numbers import Real

import numpy as np
from numba import njit, prange

from ._crystals import check_crystal, reflections

__all__ = ["dms_pattern"]

#: (name, units, default, (low, high), description).
PARAMETERS = [
    ("energy_kev", "keV", 8.0, (1.0, 100.0), "Beam energy"),
    ("divergence_deg", "deg", 0.02, (0.0, 5.0), "r.m.s. beam divergence"),
    ("bandwidth", "", 1.4e-4, (0.0, 0.1), "r.m.s. relative bandwidth dE/E"),
    ("mosaic_deg", "deg", 0.0, (0.0, 5.0), "r.m.s. mosaic spread"),
    ("crossing", "", 1.0, (0.0, math.inf), "Boost factor of line crossings"),
]

#: The default detector: distance and pixel size in mm, centre offset (x, y) in mm.
DEFAULT_DETECTOR = {"distance_mm": 80.0, "pixel_mm": 0.75, "center_mm": (0.0, 0.0)}

HC_KEV_ANGSTROM = 12.3984
_CUT2 = 25.0  # profiles are cut at 5 sigma
_TILE = 8  # pixels per side of the kernel's culling tiles


def wavelength(energy_kev):
    """Wavelength in Angstrom of X-rays of ``energy_kev``."""
    return HC_KEV_ANGSTROM / energy_kev


def check_detector(detector, shape):
    """Validate ``detector`` (a dict, None for the default) and ``shape``; return both."""
    shape = tuple(shape) if isinstance(shape, (tuple, list, np.ndarray)) else (shape,)
    integers = all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in shape)
    if len(shape) != 2 or not integers or min(shape) <= 0:
        raise ValueError(f"shape must be 2 positive integers (rows, columns); got {shape!r}.")
    detector = dict(DEFAULT_DETECTOR, **({} if detector is None else detector))
    unknown = set(detector) - set(DEFAULT_DETECTOR)
    if unknown:
        raise ValueError(f"Unknown detector keys {sorted(unknown)}; expected some of "
                         f"{sorted(DEFAULT_DETECTOR)}.")
    for name in ("distance_mm", "pixel_mm"):
        value = detector[name]
        if not isinstance(value, Real) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"detector {name} must be a finite positive number; got {value!r}.")
    center = np.asarray(detector["center_mm"])
    if (center.shape != (2,) or center.dtype.kind not in "iuf"
            or not np.all(np.isfinite(center))):
        raise ValueError(f"detector center_mm must be 2 finite numbers (x, y); "
                         f"got {detector['center_mm']!r}.")
    detector["center_mm"] = (float(center[0]), float(center[1]))
    return detector, (int(shape[0]), int(shape[1]))


def pixel_directions(detector, shape):
    """Unit vectors k_f of the pixel centres, shape (3, H * W), rows x, y, z."""
    rows, cols = shape
    p, (cx, cy), d = detector["pixel_mm"], detector["center_mm"], detector["distance_mm"]
    y, x = np.meshgrid((np.arange(rows) - (rows - 1) / 2) * p + cy,
                       (np.arange(cols) - (cols - 1) / 2) * p + cx, indexing="ij")
    xyz = np.stack([x.ravel(), y.ravel(), np.full(x.size, float(d))])
    return np.ascontiguousarray(xyz / np.linalg.norm(xyz, axis=0))


def detector_cap(directions):
    """(axis, angular radius): the smallest-known cap around the mean pixel direction."""
    axis = directions.mean(axis=1)
    axis /= np.linalg.norm(axis)
    radius = float(np.arccos(np.clip(axis @ directions, -1, 1)).max())
    return axis, radius


def line_variance(detector, divergence_deg, mosaic_deg):
    """The angular part of sigma^2 in rad^2: divergence, mosaic and pixel terms."""
    pixel = detector["pixel_mm"] / (2 * detector["distance_mm"])
    return math.radians(divergence_deg) ** 2 + math.radians(mosaic_deg) ** 2 + pixel**2


def reflection_table(crystal, energy_kev, surface=(0, 0, 1)):
    """Unit G in the sample frame (n, 3), |G| (n,) and weights |F|^2/max (n,).

    All allowed reflections with :math:`|G| < 2k` at ``energy_kev``; the
    weights are normalised over this list.
    """
    g_max = 4 * np.pi / wavelength(energy_kev)
    hkl, g, f2 = reflections(crystal, g_max, surface)
    norm = np.linalg.norm(g, axis=1)
    if norm.size == 0:
        raise ValueError(f"{crystal} has no reflection at {energy_kev:g} keV; "
                         f"its lowest-order reflection needs more energy.")
    return np.ascontiguousarray(g / norm[:, None]), norm, f2 / f2.max()


def rotation_z(psi_deg):
    """Rotations about z by ``psi_deg`` degrees, shape (n, 3, 3)."""
    psi = np.radians(np.asarray(psi_deg, dtype=float))
    c, s = np.cos(psi), np.sin(psi)
    out = np.zeros(psi.shape + (3, 3))
    out[..., 0, 0], out[..., 0, 1], out[..., 1, 0], out[..., 1, 1] = c, -s, s, c
    out[..., 2, 2] = 1.0
    return out


def tilt_rotation(tilt_deg):
    """Small rotations about in-plane axes: rotation vectors (tx, ty, 0) in degrees."""
    tilt = np.radians(np.asarray(tilt_deg, dtype=float))
    vector = np.concatenate([tilt, np.zeros(tilt.shape[:-1] + (1,))], axis=-1)
    angle = np.linalg.norm(vector, axis=-1)[..., None, None]
    axis = vector / np.where(angle[..., 0] > 0, angle[..., 0], 1.0)
    k = np.zeros(vector.shape[:-1] + (3, 3))
    k[..., 0, 2], k[..., 1, 2], k[..., 2, 0], k[..., 2, 1] = (
        axis[..., 1], -axis[..., 0], -axis[..., 1], axis[..., 0])
    k[..., 0, 1], k[..., 1, 0] = -axis[..., 2], axis[..., 2]
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * (k @ k)


def pixel_tiles(directions, shape, size=_TILE):
    r"""Group the pixels in tiles of ``size`` x ``size`` for the kernel's culling.

    Returns the directions reordered tile by tile (3, n_pixels), ``order``
    (the original index of each reordered pixel), ``starts`` (n_tiles + 1,
    the first reordered pixel of each tile), the unit mean direction of each
    tile (n_tiles, 3) and each tile's radius: the largest chord
    :math:`|\hat{k}_f - \hat{u}|` from its mean direction, which bounds how much
    :math:`\hat{k}_f \cdot \hat{G}` varies over the tile.
    """
    rows, cols = shape
    i, j = np.divmod(np.arange(rows * cols), cols)
    tile = (i // size) * (-(-cols // size)) + j // size
    order = np.argsort(tile, kind="stable")
    counts = np.bincount(tile)
    starts = np.concatenate([[0], np.cumsum(counts)])
    ordered = np.ascontiguousarray(directions[:, order])
    centres = np.add.reduceat(ordered, starts[:-1], axis=1).T
    centres /= np.linalg.norm(centres, axis=1)[:, None]
    chords = np.linalg.norm(ordered - centres[tile[order]].T, axis=0)
    radii = np.maximum.reduceat(chords, starts[:-1])
    return ordered, order, starts, np.ascontiguousarray(centres), radii


@njit(cache=True, fastmath=True)
def _add_line(px, py, pz, start, stop, gx, gy, gz, cos_cone, inv_sigma, weight, total,
              squares):
    """Add one line's profile to the pixel sums of one tile (scalar core)."""
    for p in range(start, stop):
        t = (gx * px[p] + gy * py[p] + gz * pz[p] - cos_cone) * inv_sigma
        t2 = t * t
        if t2 < _CUT2:
            value = weight * math.exp(-0.5 * t2)
            total[p] += value
            squares[p] += value * value


@njit(cache=True)
def add_lines(px, py, pz, starts, tile_axes, tile_radii, g_hat, g_norm, weight, rot,
              wavelength_a, angular_var, bandwidth, total, squares):
    r"""Add every line of one pattern to the pixel sums ``total`` and ``squares``.

    ``rot`` (3, 3) takes sample-frame G to the laboratory. A line is evaluated
    only on the tiles whose range of :math:`\hat{k}_f \cdot \hat{G}` comes
    within :math:`5\sigma` of its cone; the rest of the profile is below the cut.
    """
    for r in range(g_norm.size):
        cos_cone = g_norm[r] * wavelength_a / (4.0 * math.pi)
        if cos_cone >= 1.0:
            continue
        gx = rot[0, 0] * g_hat[r, 0] + rot[0, 1] * g_hat[r, 1] + rot[0, 2] * g_hat[r, 2]
        gy = rot[1, 0] * g_hat[r, 0] + rot[1, 1] * g_hat[r, 1] + rot[1, 2] * g_hat[r, 2]
        gz = rot[2, 0] * g_hat[r, 0] + rot[2, 1] * g_hat[r, 1] + rot[2, 2] * g_hat[r, 2]
        sigma = math.sqrt((cos_cone * bandwidth) ** 2
                          + (1.0 - cos_cone * cos_cone) * angular_var)
        reach = 5.0 * sigma
        inv_sigma = 1.0 / sigma
        for t in range(tile_radii.size):
            centre = gx * tile_axes[t, 0] + gy * tile_axes[t, 1] + gz * tile_axes[t, 2]
            if abs(centre - cos_cone) <= tile_radii[t] + reach:
                _add_line(px, py, pz, starts[t], starts[t + 1], gx, gy, gz, cos_cone,
                          inv_sigma, weight[r], total, squares)


@njit(cache=True, parallel=True)
def dms_kernel(directions, order, starts, tile_axes, tile_radii, g_hat, g_norm, weight,
               rotations, wavelengths, angular_var, bandwidth, crossing, out):
    r"""Fill ``out`` (n, n_pixels) with DMS patterns, in parallel over patterns.

    ``directions`` are the pixel directions grouped in tiles (``pixel_tiles``),
    ``rotations`` (n, 3, 3) take sample-frame G to the laboratory and
    ``wavelengths`` (n,) are in Angstrom; the lines are :func:`add_lines`'.
    """
    px, py, pz = directions[0], directions[1], directions[2]
    n_pixels = px.size
    for i in prange(rotations.shape[0]):
        total = np.zeros(n_pixels)
        squares = np.zeros(n_pixels)
        add_lines(px, py, pz, starts, tile_axes, tile_radii, g_hat, g_norm, weight,
                  rotations[i], wavelengths[i], angular_var, bandwidth, total, squares)
        for p in range(n_pixels):
            s = total[p]
            out[i, order[p]] = s + 0.5 * crossing * (s * s - squares[p])


def _as_column(name, value, n):
    value = np.asarray(value, dtype=float)
    if value.ndim > 1 or value.size not in (1, n):
        raise ValueError(f"{name} must be a scalar or a 1-D array of length {n}; "
                         f"got shape {value.shape}.")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{name} must be finite; got NaN or inf.")
    return np.broadcast_to(value.ravel(), (n,))


def _sees_reflections(g_hat, g_norm, wavelength_a, cap_axis, cap_radius):
    """Whether some cone reaches the detector at some psi (no tilt)."""
    cos_cone = g_norm * wavelength_a / (4 * np.pi)
    alpha = np.arccos(np.clip(cos_cone, -1, 1))
    polar_g = np.arccos(np.clip(g_hat[:, 2], -1, 1))
    polar_d = math.acos(min(1.0, max(-1.0, cap_axis[2])))
    low = np.abs(polar_g - polar_d)
    high = np.minimum(polar_g + polar_d, 2 * np.pi - polar_g - polar_d)
    hits = (cos_cone < 1) & (low <= alpha + cap_radius) & (high >= alpha - cap_radius)
    return bool(np.any(hits))


class DMSSetup:
    """What every pattern of one (crystal, surface, energy, detector, shape) shares.

    Precomputed once in NumPy: the pixel directions, the reflection table at
    ``energy_kev`` (with energies up to ``max_energy_kev`` if larger, for
    energy jitter), the detector cap and the line-width terms. Raises
    ValueError when the detector sees no cone at ``energy_kev``.
    """

    def __init__(self, crystal="Si", *, energy_kev=8.0, surface=(0, 0, 1), detector=None,
                 shape=(128, 128), divergence_deg=0.02, bandwidth=1.4e-4, mosaic_deg=0.0,
                 crossing=1.0, max_energy_kev=None):
        check_crystal(crystal)
        for name, value in [("energy_kev", energy_kev), ("divergence_deg", divergence_deg),
                            ("bandwidth", bandwidth), ("mosaic_deg", mosaic_deg),
                            ("crossing", crossing)]:
            if not isinstance(value, Real) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0; got {value!r}.")
        if energy_kev <= 0:
            raise ValueError(f"energy_kev must be positive; got {energy_kev!r}.")
        self.detector, self.shape = check_detector(detector, shape)
        self.directions = pixel_directions(self.detector, self.shape)
        self.cap_axis, self.cap_radius = detector_cap(self.directions)
        self.tiles = pixel_tiles(self.directions, self.shape)
        top = max(energy_kev, max_energy_kev or energy_kev)
        self.g_hat, self.g_norm, self.weight = reflection_table(crystal, top, surface)
        if not _sees_reflections(self.g_hat, self.g_norm, wavelength(energy_kev),
                                 self.cap_axis, self.cap_radius):
            raise ValueError(
                f"The detector sees no reflection of {crystal} at {energy_kev:g} keV "
                f"(distance {self.detector['distance_mm']:g} mm, "
                f"{self.shape[0]} x {self.shape[1]} pixels of "
                f"{self.detector['pixel_mm']:g} mm); move it closer, enlarge it or "
                f"change the energy.")
        self.angular_var = line_variance(self.detector, divergence_deg, mosaic_deg)
        self.bandwidth, self.crossing = float(bandwidth), float(crossing)

    def simulate(self, rotations, energy_kev, out):
        """Write patterns for ``rotations`` (n, 3, 3) and energies (n,) into ``out`` (n, H*W)."""
        dms_kernel(*self.tiles, self.g_hat, self.g_norm, self.weight,
                   np.ascontiguousarray(rotations, dtype=float),
                   np.ascontiguousarray(wavelength(np.asarray(energy_kev, dtype=float))),
                   self.angular_var, self.bandwidth, self.crossing, out)
        return out


def dms_pattern(psi, *, crystal="Si", energy_kev=8.0, surface=(0, 0, 1), detector=None,
                shape=(128, 128), tilt_deg=None, divergence_deg=0.02, bandwidth=1.4e-4,
                mosaic_deg=0.0, crossing=1.0):
    """Simulate the diffuse multiple scattering pattern of a crystal at azimuth psi.

    Kossel-cone lines of the crystal's allowed reflections on a flat detector
    facing the surface, for one azimuth or a batch of them (computed in
    parallel). The module documentation gives the equations.

    Parameters
    ----------
    psi : float or array-like of shape (n,)
        Azimuth in degrees: rotation of the crystal about its surface normal.
    crystal : str, default="Si"
        ``"Si"``, ``"Ge"`` (diamond), ``"Cu"`` (fcc), ``"SrTiO3"`` (cubic
        perovskite), ``"TiO2"`` (rutile, tetragonal) or ``"Mg"`` (hcp).
    energy_kev : float or array-like of shape (n,), default=8.0
        Beam energy in keV, one for all patterns or one per pattern.
    surface : array-like of shape (3,), default=(0, 0, 1)
        Direct-lattice direction [uvw] of the surface normal.
    detector : dict, default=None
        ``distance_mm`` (default 80), ``pixel_mm`` (0.75) and ``center_mm``
        (offset (x, y) of the detector centre from the surface normal,
        (0, 0)); missing keys take the defaults.
    shape : tuple of int, default=(128, 128)
        Detector pixels (rows, columns); rows run along y, columns along x.
    tilt_deg : array-like of shape (2,) or (n, 2), default=None
        Mis-orientation: rotation vector (about x, about y) in degrees of the
        psi axis in the laboratory, applied after the azimuth. None is no tilt.
    divergence_deg : float, default=0.02
        Beam divergence in degrees (r.m.s.).
    bandwidth : float, default=1.4e-4
        Relative bandwidth dE/E (r.m.s.; a Si 111 monochromator).
    mosaic_deg : float, default=0.0
        Mosaic spread in degrees (r.m.s.).
    crossing : float, default=1.0
        Boost of line crossings: weight of the pairwise products of lines.

    Returns
    -------
    ndarray of shape (H, W) or (n, H, W)
        Intensity in units of the strongest line's peak, float64; one image
        for a scalar ``psi``.

    Raises
    ------
    ValueError
        If ``crystal`` is unknown (the message lists the known ones), if the
        detector sees no reflection at that energy, or if an input has the
        wrong shape or is NaN, infinite or out of range.

    See Also
    --------
    dms_symmetry_period : The period of the pattern in psi.

    References
    ----------
    .. [1] A. G. A. Nisbet, G. Beutier, F. Fabrizi, B. Moser and S. P.
       Collins, "Diffuse multiple scattering", *Acta Cryst.* A71, 20-25 (2015).

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import dms_pattern
    >>> image = dms_pattern(10.0)
    >>> image.shape, image.dtype
    ((128, 128), dtype('float64'))
    >>> images = dms_pattern([10.0, 100.0], shape=(64, 64))
    >>> images.shape, bool(np.allclose(images[0], images[1], atol=1e-6))
    ((2, 64, 64), True)
    """
    psi_array = np.asarray(psi, dtype=float)
    if psi_array.ndim > 1:
        raise ValueError(f"psi must be a scalar or a 1-D array; got shape {psi_array.shape}.")
    batched = psi_array.ndim == 1
    psi_array = psi_array.ravel()
    n = psi_array.size
    psi_array = _as_column("psi", psi_array, n)
    energy = _as_column("energy_kev", energy_kev, n)
    if np.any(energy <= 0):
        raise ValueError("energy_kev must be positive.")
    rotations = rotation_z(psi_array)
    if tilt_deg is not None:
        tilt = np.asarray(tilt_deg, dtype=float)
        if tilt.shape not in ((2,), (n, 2)) or not np.all(np.isfinite(tilt)):
            raise ValueError(f"tilt_deg must be 2 finite numbers or an array of shape ({n}, 2);"
                             f" got shape {tilt.shape}.")
        rotations = tilt_rotation(tilt) @ rotations
    setup = DMSSetup(crystal, energy_kev=float(energy.min()), surface=surface,
                     detector=detector, shape=shape, divergence_deg=divergence_deg,
                     bandwidth=bandwidth, mosaic_deg=mosaic_deg, crossing=crossing,
                     max_energy_kev=float(energy.max()))
    out = np.empty((n, setup.shape[0] * setup.shape[1]))
    setup.simulate(rotations, energy, out)
    out = out.reshape((n,) + setup.shape)
    return out if batched else out[0]


#: Bragg angles 2 theta in degrees of silicon for Cu K-alpha-1 (1.540593
#: Angstrom, 8.04778 keV): (crystal, hkl, energy_kev, expected 2 theta, source).
#: Our a = 5.431 Angstrom against 5.43094 gives differences below 0.005 deg.
_SOURCE = "Si powder pattern, Cu K-alpha-1, ICDD PDF 27-1402 (a = 5.43088 Angstrom)"
REFERENCE = [
    ("Si", (1, 1, 1), 8.04778, 28.443, _SOURCE),
    ("Si", (2, 2, 0), 8.04778, 47.303, _SOURCE),
    ("Si", (3, 1, 1), 8.04778, 56.123, _SOURCE),
    ("Si", (4, 0, 0), 8.04778, 69.131, _SOURCE),
    ("Si", (3, 3, 1), 8.04778, 76.377, _SOURCE),
    ("Si", (4, 2, 2), 8.04778, 88.032, _SOURCE),
]
