r"""Measured-like DMS patterns: the ideal lines seen through a real sample, beam and detector.

The kernel draws the lines of :mod:`._dms` (the same :func:`~._dms.add_lines`)
with per-pattern values of what a measurement sets, then adds a smooth
background and passes the result through a Pilatus-like detector
(:mod:`._dms_detector` gives the hardware's numbers and sources). Per
pattern :math:`i`:

- **Sample.** Miscut: the lattice's [001] is tilted from the surface normal
  (the psi axis) by a miscut angle :math:`m` about an in-plane axis at
  azimuth :math:`\phi` in the crystal frame,
  :math:`M = \mathrm{rot}(m (\cos\phi, \sin\phi, 0))`, so that
  :math:`\mathbf{G} = T R_z(\psi) M U B (hkl)`. Mosaic spread :math:`\eta_i`
  enters the line width as in :mod:`._dms`.
- **Beam.** Energy :math:`E_i` and relative bandwidth
  :math:`(\Delta E/E)_i` per pattern (monochromator to pink beam), in the
  line width as in :mod:`._dms`.
- **Geometry.** The detector's centre sits at :math:`(c_x, c_y, D)_i`
  (beam-centre and distance errors) and its plane is turned by the small
  rotation :math:`R_{d,i}` (tilt about x and y, the rotation vector of
  :func:`~._dms.tilt_rotation`): pixel :math:`(u, v)` of the detector frame
  is at :math:`\mathbf{r} = (c_x, c_y, D) + u R_d\hat{x} + v R_d\hat{y}` and
  sees :math:`\hat{\mathbf{k}}_f = \mathbf{r}/|\mathbf{r}|`; the pixel term
  of the line width uses :math:`D_i`. Without errors the directions are those
  of :func:`~._dms.pixel_directions`.
- **Background**, per unit solid angle times the pixel's solid angle
  relative to the detector's foot point, :math:`\omega = (D_\perp/|\mathbf{r}|)^3`
  (:math:`D_\perp` the sample-plane distance), with
  :math:`s = \sin\theta/\lambda` and :math:`2\theta` the angle between the
  incident beam :math:`(0, 0, -1)` and :math:`\hat{\mathbf{k}}_f`:
  :math:`b_{T}\,(1 - e^{-2Bs^2})` (thermal diffuse),
  :math:`b_{C}\,(1 - e^{-s/s_0})(1 + \cos^2 2\theta)/2` (Compton) and
  :math:`b_{F}` (fluorescence, isotropic) when :math:`E_i` is above a K edge
  of the crystal whose K-alpha-1 line is above the detector's threshold
  :math:`E_i/2`.
- **Detector.** The pixel reads
  :math:`\min(t_i\, g_{ip}\,(I_\text{lines} + \omega b), I_\text{sat})` with
  the exposure factor :math:`t_i` and the flat-field gain
  :math:`g_{ip} = 1 + f_i z_p` (the detector's unit gain map :math:`z_p`
  scaled by the pattern's flat-field spread :math:`f_i`);
  pixels in a module gap, dead pixels and those in the beam stop's shadow
  read 0, hot pixels read the saturation :math:`I_\text{sat}` (a full
  counter). The beam stop's shadow is centred where the incident beam (the
  z axis) meets the detector plane, so it moves with the beam-centre error.

Counting noise is not drawn here (no random numbers in simulators): the
datasets count these expected values.
"""

import math

import numpy as np
from numba import njit, prange

from ._dms import HC_KEV_ANGSTROM, add_lines, line_variance, tilt_rotation, wavelength
from ._dms_detector import (BEAMSTOP, COMPTON_S0, DEBYE_WALLER_B, THRESHOLD_FRACTION,
                            fluorescence_lines)

__all__ = ["miscut_rotation", "simulate_measured"]

#: Pixel states of the ``state`` array.
LIVE, DEAD, HOT = 0, 1, 2


@njit(cache=True)
def _tile_bounds(px, py, pz, starts, axes, radii):
    """Each tile's unit mean direction and its largest chord from it (as ``pixel_tiles``)."""
    for t in range(radii.size):
        sx = sy = sz = 0.0
        for p in range(starts[t], starts[t + 1]):
            sx += px[p]
            sy += py[p]
            sz += pz[p]
        norm = math.sqrt(sx * sx + sy * sy + sz * sz)
        axes[t, 0], axes[t, 1], axes[t, 2] = sx / norm, sy / norm, sz / norm
        largest = 0.0
        for p in range(starts[t], starts[t + 1]):
            dx, dy, dz = px[p] - axes[t, 0], py[p] - axes[t, 1], pz[p] - axes[t, 2]
            largest = max(largest, math.sqrt(dx * dx + dy * dy + dz * dz))
        radii[t] = largest


@njit(cache=True, parallel=True, fastmath=True)
def dms_measured_kernel(pixel_uv, order, starts, g_hat, g_norm, weight, rotations,
                        wavelengths, angular_var, bandwidth, crossing, detector_axes,
                        detector_origin, background, edges, lines, exposure, flat_field,
                        gain_map, state, gaps, beamstop, saturation, out):
    r"""Fill ``out`` (n, n_pixels) with measured-like patterns, in parallel over patterns.

    ``pixel_uv`` (2, n_pixels) are the detector-frame pixel offsets in mm in
    tile order (``order``, ``starts`` of ``pixel_tiles``); every per-pattern
    array has the patterns on its first axis: ``detector_axes`` (n, 3, 3)
    holds the detector's x, y and normal as columns, ``detector_origin``
    (n, 3) its centre, ``background`` (n, 3) the thermal-diffuse, Compton
    and fluorescence amplitudes; a pixel's gain is ``1 + flat_field[i] *
    gain_map[j]``; ``gain_map``, ``gaps`` (n_pixels,) and ``state`` (n,
    n_pixels) are in image order; ``beamstop`` is (radius,
    arm width, arm angle in radians).
    """
    n_pixels = pixel_uv.shape[1]
    n_tiles = starts.size - 1
    for i in prange(rotations.shape[0]):
        ax = detector_axes[i]
        ox, oy, oz = detector_origin[i, 0], detector_origin[i, 1], detector_origin[i, 2]
        px, py, pz, dist = (np.empty(n_pixels), np.empty(n_pixels), np.empty(n_pixels),
                            np.empty(n_pixels))
        for p in range(n_pixels):
            u, v = pixel_uv[0, p], pixel_uv[1, p]
            x = ox + u * ax[0, 0] + v * ax[0, 1]
            y = oy + u * ax[1, 0] + v * ax[1, 1]
            z = oz + u * ax[2, 0] + v * ax[2, 1]
            dist[p] = math.sqrt(x * x + y * y + z * z)
            px[p], py[p], pz[p] = x / dist[p], y / dist[p], z / dist[p]
        tile_axes, tile_radii = np.empty((n_tiles, 3)), np.empty(n_tiles)
        _tile_bounds(px, py, pz, starts, tile_axes, tile_radii)
        total, squares = np.zeros(n_pixels), np.zeros(n_pixels)
        lam = wavelengths[i]
        add_lines(px, py, pz, starts, tile_axes, tile_radii, g_hat, g_norm, weight,
                  rotations[i], lam, angular_var[i], bandwidth[i], total, squares)
        # Perpendicular distance, the beam's point on the detector (the z axis meets
        # the plane at z = d_perp / n_z) and the beam-stop arm's direction.
        d_perp = ox * ax[0, 2] + oy * ax[1, 2] + oz * ax[2, 2]
        beam_z = d_perp / ax[2, 2]
        ca, sa = math.cos(beamstop[2]), math.sin(beamstop[2])
        arm = (ca * ax[0, 0] + sa * ax[0, 1], ca * ax[1, 0] + sa * ax[1, 1],
               ca * ax[2, 0] + sa * ax[2, 1])
        energy = HC_KEV_ANGSTROM / lam
        fluoresces = False
        for e in range(edges.size):
            if energy > edges[e] and lines[e] > THRESHOLD_FRACTION * energy:
                fluoresces = True
        for p in range(n_pixels):
            j = order[p]
            r = dist[p]
            bx, by, bz = px[p] * r, py[p] * r, pz[p] * r - beam_z
            along = bx * arm[0] + by * arm[1] + bz * arm[2]
            off = bx * bx + by * by + bz * bz
            shadow = (off < beamstop[0] ** 2
                      or (along > 0.0 and off - along * along < 0.25 * beamstop[1] ** 2))
            if gaps[j] or state[i, j] == DEAD or shadow:
                out[i, j] = 0.0
                continue
            if state[i, j] == HOT:
                out[i, j] = saturation
                continue
            s = total[p]
            value = s + 0.5 * crossing * (s * s - squares[p])
            cos_2theta = -pz[p]
            s2 = 0.5 * (1.0 - cos_2theta) / (lam * lam)  # (sin theta / lambda)^2
            smooth = (background[i, 0] * (1.0 - math.exp(-2.0 * DEBYE_WALLER_B * s2))
                      + background[i, 1] * (1.0 - math.exp(-math.sqrt(s2) / COMPTON_S0))
                      * 0.5 * (1.0 + cos_2theta * cos_2theta))
            if fluoresces:
                smooth += background[i, 2]
            omega = (d_perp / r) ** 3
            gain = 1.0 + flat_field[i] * gain_map[j]
            value = exposure[i] * gain * (value + omega * smooth)
            out[i, j] = min(value, saturation)


def miscut_rotation(miscut_deg, azimuth_deg):
    """Rotations (n, 3, 3) that tilt the lattice by ``miscut_deg`` about the in-plane axis at
    ``azimuth_deg`` (crystal frame); apply them before the azimuth psi."""
    m, phi = np.asarray(miscut_deg, dtype=float), np.radians(np.asarray(azimuth_deg, float))
    return tilt_rotation(np.stack([m * np.cos(phi), m * np.sin(phi)], axis=-1))


def simulate_measured(setup, crystal, rotations, energy_kev, conditions, out, *,
                      divergence_deg=0.02, beamstop=None, saturation=np.inf):
    """Write measured-like patterns into ``out`` (n, H*W) with ``setup``'s crystal and pixels.

    Parameters
    ----------
    setup : DMSSetup
        The reflections, pixels, tiles and crossing factor (its detector is
        the nominal one: ``pixel_mm`` and the pixel layout are kept).
    crystal : str
        The crystal of ``setup``, for its K edges.
    rotations : ndarray of shape (n, 3, 3)
        Sample-frame to laboratory rotations (tilt, psi and miscut).
    energy_kev : ndarray of shape (n,)
        Beam energy of each pattern.
    conditions : dict of ndarray
        Per pattern: ``bandwidth`` (n,), ``mosaic_deg`` (n,), ``distance_mm``
        (n,), ``center_mm`` (n, 2), ``detector_tilt_deg`` (n, 2),
        ``background`` (n, 3) (thermal diffuse, Compton, fluorescence),
        ``exposure`` (n,), ``flat_field`` (n,) and ``state`` (n, H*W) of int8
        (``LIVE``, ``DEAD`` or ``HOT``); and the detector's ``gain_map``
        (H*W,), each pixel's gain being ``1 + flat_field * gain_map``, and
        ``gaps`` (H*W,) of bool.
    out : ndarray of shape (n, H*W)
        Written in place.
    divergence_deg : float, default=0.02
        Beam divergence (r.m.s.), as in :func:`~._dms.dms_pattern`.
    beamstop : dict, default=None
        ``radius_mm``, ``arm_width_mm`` and ``arm_angle_deg``; None for
        ``BEAMSTOP`` of :mod:`._dms_detector`.
    saturation : float, default=inf
        A full pixel's reading, in the patterns' intensity units.

    Returns
    -------
    out : ndarray of shape (n, H*W)
    """
    _, order, starts, _, _ = setup.tiles
    rows, cols = setup.shape
    pixel = setup.detector["pixel_mm"]
    i, j = np.divmod(order, cols)
    uv = np.ascontiguousarray(np.stack([(j - (cols - 1) / 2) * pixel,
                                        (i - (rows - 1) / 2) * pixel]))
    distance = np.asarray(conditions["distance_mm"], dtype=float)
    angular_var = np.array([line_variance({"pixel_mm": pixel, "distance_mm": d},
                                          divergence_deg, m)
                            for d, m in zip(distance, conditions["mosaic_deg"])])
    origin = np.column_stack([conditions["center_mm"], distance])
    stop = dict(BEAMSTOP, **(beamstop or {}))
    edges, lines = fluorescence_lines(crystal)
    dms_measured_kernel(
        uv, order, starts, setup.g_hat, setup.g_norm, setup.weight,
        np.ascontiguousarray(rotations, dtype=float),
        np.ascontiguousarray(wavelength(np.asarray(energy_kev, dtype=float))),
        angular_var, np.ascontiguousarray(conditions["bandwidth"], dtype=float),
        setup.crossing, np.ascontiguousarray(tilt_rotation(conditions["detector_tilt_deg"])),
        np.ascontiguousarray(origin), np.ascontiguousarray(conditions["background"], float),
        edges, lines, np.ascontiguousarray(conditions["exposure"], dtype=float),
        np.ascontiguousarray(conditions["flat_field"], dtype=float),
        np.ascontiguousarray(conditions["gain_map"], dtype=float),
        np.ascontiguousarray(conditions["state"]),
        np.ascontiguousarray(conditions["gaps"]),
        np.array([stop["radius_mm"], stop["arm_width_mm"], math.radians(stop["arm_angle_deg"])]),
        float(saturation), out)
    return out
