r"""Cells of a FLImP image: adhesion footprints and patchy receptor densities.

The geometry of :mod:`._flimp` (its module documentation defines both):
:func:`cell_footprints` labels star-shaped footprints, :func:`patch_density`
gives each cell a density with sharp steps between Voronoi patches. No random
numbers: the dataset layer draws every shape, seed and multiplier.
"""

import math

import numpy as np
from numba import njit

__all__ = ["cell_footprints", "patch_density"]


@njit(cache=True)
def _in_footprint(u, v, radius, inner, outer, cos_terms, sin_terms):
    """Whether (u, v), in the cell's frame with the long axis divided by its aspect, lies in
    the footprint (scalar core). cos(m phi + p) = cos(m phi) cos p - sin(m phi) sin p, with
    cos(m phi), sin(m phi) by recurrence from u / rho, v / rho; the annulus test first
    (``inner``, ``outer``: 1 -/+ sum |a_m|) leaves the harmonics to edge pixels alone.
    """
    r2 = u * u + v * v
    if r2 <= (radius * inner) ** 2:
        return True
    if r2 > (radius * outer) ** 2:
        return False
    rho = math.sqrt(r2)
    c1, s1 = u / rho, v / rho
    cm, sm = c1, s1
    edge = 1.0
    for m in range(len(cos_terms)):
        edge += cos_terms[m] * cm - sin_terms[m] * sm
        cm, sm = cm * c1 - sm * s1, sm * c1 + cm * s1
    return rho <= radius * edge


@njit(cache=True)
def _footprints(height, width, centres, radii, aspects, angles, harmonics, labels):
    n_harmonics = harmonics.shape[1]
    cos_terms, sin_terms = np.empty(n_harmonics), np.empty(n_harmonics)
    for k in range(len(radii)):
        spread = 0.0
        for m in range(n_harmonics):
            amplitude, phase = harmonics[k, m, 0], harmonics[k, m, 1]
            cos_terms[m] = amplitude * math.cos(phase)
            sin_terms[m] = amplitude * math.sin(phase)
            spread += abs(amplitude)
        inner, outer = max(1.0 - spread, 0.0), 1.0 + spread
        reach = radii[k] * max(aspects[k], 1.0) * outer
        cy, cx = centres[k, 0], centres[k, 1]
        cos_a, sin_a = math.cos(angles[k]), math.sin(angles[k])
        for i in range(max(0, int(math.floor(cy - reach))), min(height, int(cy + reach) + 2)):
            dy = i - cy
            for j in range(max(0, int(math.floor(cx - reach))), min(width, int(cx + reach) + 2)):
                dx = j - cx
                if _in_footprint((dx * cos_a + dy * sin_a) / aspects[k], -dx * sin_a + dy * cos_a,
                                 radii[k], inner, outer, cos_terms, sin_terms):
                    labels[i, j] = k + 1


def cell_footprints(shape, centres, radii, aspects, angles, harmonics):
    """Label image of star-shaped cell adhesion footprints.

    Parameters
    ----------
    shape : tuple of (int, int)
        Image shape (rows, columns).
    centres : array-like of shape (n_cells, 2)
        Cell centres (row, column) in pixels.
    radii : array-like of shape (n_cells,)
        Base radius :math:`r_0` in pixels (along the short axis).
    aspects : array-like of shape (n_cells,)
        Elongation: the long axis is ``aspect`` times the short one.
    angles : array-like of shape (n_cells,)
        Direction of the long axis in radians, from the column axis towards the row axis.
    harmonics : array-like of shape (n_cells, n_harmonics, 2)
        Amplitude :math:`a_m` and phase :math:`p_m` of the harmonics m = 1, 2, ...
        of the edge; :math:`\\sum_m |a_m| < 1` keeps the shape star-shaped.

    Returns
    -------
    labels : ndarray of shape ``shape``, int16
        0 on glass, k where cell k (1-based, later cells on top) covers the pixel centre.

    Raises
    ------
    ValueError
        If the arrays' lengths disagree, an aspect is not positive, a radius is negative,
        or there are more than 32767 cells.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import cell_footprints
    >>> labels = cell_footprints((64, 64), [[32.0, 32.0]], [10.0], [1.0], [0.0],
    ...                          np.zeros((1, 0, 2)))
    >>> labels.dtype, int((labels == 1).sum())
    (dtype('int16'), 317)
    """
    centres = np.asarray(centres, dtype=np.float64).reshape(-1, 2)
    n = len(centres)
    radii, aspects, angles = (np.asarray(a, dtype=np.float64).reshape(-1)
                              for a in (radii, aspects, angles))
    harmonics = np.asarray(harmonics, dtype=np.float64)
    if harmonics.ndim != 3 or harmonics.shape[2] != 2 or not (
            n == len(radii) == len(aspects) == len(angles) == len(harmonics)) or not (
            np.all(aspects > 0) and np.all(radii >= 0)):
        raise ValueError(f"cell_footprints needs centres (n, 2), radii, aspects, angles (n,) "
                         f"and harmonics (n, m, 2) for one n, aspects > 0 and radii >= 0; got "
                         f"{centres.shape}, {radii.shape}, {aspects.shape}, {angles.shape}, "
                         f"{harmonics.shape}.")
    if n > np.iinfo(np.int16).max:
        raise ValueError(f"cell_footprints labels at most 32767 cells (int16); got {n}.")
    labels = np.zeros(shape, dtype=np.int16)
    _footprints(shape[0], shape[1], centres, radii, aspects, angles, harmonics, labels)
    return labels


@njit(cache=True)
def _patch_density(cells, cell_density, seed_y, seed_x, seed_multiplier, first_seed, glass,
                   density):
    height, width = cells.shape
    for i in range(height):
        for j in range(width):
            k = cells[i, j]
            if k == 0:
                density[i, j] = glass[i, j]
                continue
            best, nearest = np.inf, first_seed[k - 1]
            for s in range(first_seed[k - 1], first_seed[k]):
                d2 = (i - seed_y[s]) ** 2 + (j - seed_x[s]) ** 2
                if d2 < best:
                    best, nearest = d2, s
            density[i, j] = cell_density[k - 1] * seed_multiplier[nearest]


def patch_density(cells, cell_density, seeds, seed_multiplier, first_seed, glass):
    """Receptor density with sharp steps: each cell split into Voronoi patches.

    Parameters
    ----------
    cells : ndarray of shape (H, W), int
        Cell labels (0 glass, k cell k), as from :func:`cell_footprints`.
    cell_density : array-like of shape (n_cells,)
        Each cell's density (per um^2, or any unit).
    seeds : array-like of shape (n_seeds, 2)
        Patch seeds (row, column) in pixels, grouped by cell.
    seed_multiplier : array-like of shape (n_seeds,)
        Factor on the cell's density in each seed's patch.
    first_seed : array-like of shape (n_cells + 1,), int
        Cell k's seeds are ``seeds[first_seed[k - 1]:first_seed[k]]``; each cell needs one.
    glass : ndarray of shape (H, W)
        Density on the glass (label 0).

    Returns
    -------
    density : ndarray of shape (H, W), float32
        Cell density times the multiplier of the nearest of the cell's seeds; ``glass`` on glass.

    Raises
    ------
    ValueError
        If a cell has no seed or the shapes disagree.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import patch_density
    >>> cells = np.ones((4, 4), dtype=np.int16)
    >>> density = patch_density(cells, [0.5], [[0.0, 0.0], [0.0, 3.0]], [1.0, 2.0], [0, 2],
    ...                         np.zeros((4, 4)))
    >>> density[0].tolist()
    [0.5, 0.5, 1.0, 1.0]
    """
    cells = np.asarray(cells)
    cell_density = np.asarray(cell_density, dtype=np.float64).reshape(-1)
    seeds = np.asarray(seeds, dtype=np.float64).reshape(-1, 2)
    seed_multiplier = np.asarray(seed_multiplier, dtype=np.float64).reshape(-1)
    first_seed = np.asarray(first_seed, dtype=np.int64).reshape(-1)
    glass = np.asarray(glass, dtype=np.float64)
    if (len(first_seed) != len(cell_density) + 1 or np.any(np.diff(first_seed) < 1)
            or first_seed[0] != 0 or first_seed[-1] != len(seeds)
            or len(seed_multiplier) != len(seeds) or glass.shape != cells.shape
            or cells.max(initial=0) > len(cell_density)):
        raise ValueError("patch_density needs first_seed of n_cells + 1 rising offsets from 0 "
                         "to n_seeds (one seed per cell at least), a multiplier per seed, and "
                         "glass of the cells' shape.")
    density = np.empty(cells.shape, dtype=np.float32)
    _patch_density(cells, cell_density, seeds[:, 0].copy(), seeds[:, 1].copy(), seed_multiplier,
                   first_seed, glass, density)
    return density
