"""The layout of one FLImP field of view: cells, densities, dirt, blobs, beam; and the rule.

:func:`draw_scene` draws everything of one image that is not per pixel from
``rng`` (a RandomState) and renders it with the kernels of
:mod:`~sciml_estimators.simulators._flimp`; :func:`suitable_pixels` is the
rule that labels it. ``_flimp`` documents the recipe and the rule; the
numbers are here, each a modelling choice unless a source is named.
"""

from collections import namedtuple

import numpy as np
from scipy import ndimage
from sklearn.utils import Bunch

from ..simulators._flimp import render_blobs
from ..simulators._flimp_cells import cell_footprints, patch_density

#: One cell population: footprint radius r0 (um, short semi-axis) and aspect ranges, the
#: r.m.s. amplitude of the edge harmonics m = 1..5, the median receptor density (per um^2)
#: and the per-cell log-normal sigma about it, the autofluorescence above the glass
#: (photons per pixel per frame), the chance that a cell has autofluorescence blobs, the
#: mean number of density patches beyond the first, and how often the population is drawn.
Population = namedtuple("Population", "name radius aspect harmonic density density_sigma "
                                      "level blob_chance patches weight")
POPULATIONS = (
    # Spread carcinoma-like cells (A431-type, the EGFR cells of Needham et al. 2016):
    # footprints 16-32 um across, ruffled edges.
    Population("carcinoma", (8.0, 16.0), (1.0, 1.5), 0.08, 0.6, 0.8, (8.0, 20.0), 0.8, 3.0,
               0.4),
    # Elongated fibroblast-like cells: narrow, 2.5-4 times longer than wide, fewer receptors.
    Population("fibroblast", (3.5, 6.0), (2.5, 4.0), 0.05, 0.4, 0.8, (5.0, 12.0), 0.5, 2.0,
               0.3),
    # Small round lymphocyte-like cells (6-10 um), densely labelled: not suitable.
    Population("lymphocyte", (3.0, 5.0), (1.0, 1.15), 0.03, 2.5, 0.4, (10.0, 25.0), 0.1, 0.5,
               0.3),
)
POPULATION_NAMES = tuple(p.name for p in POPULATIONS)
#: Populations (1-based, as in ``populations``) whose cells FLImP can use.
SUITABLE_POPULATIONS = (1, 2)

#: The rule: receptor density (per um^2) within [D_MIN, D_MAX] ...
D_MIN = 0.2
D_MAX = 1.0
#: ... counted over the true receptors in a Gaussian window of this sigma (um): a FLImP
#: analysis region is a few um across ...
DENSITY_WINDOW = 1.0
#: ... and autofluorescence blobs below this fraction of the local base level.
BLOB_MAX_FRACTION = 0.25
#: Factor on each Voronoi patch's density: log-normal sigma (steps between patches).
PATCH_SIGMA = 0.95
#: Mean cells per um^2 of field beyond the first (one per 1200 um^2: ~6.6 in 82 um x 82 um).
CELLS_PER_UM2 = 1.0 / 1200.0
HARMONICS = 5
#: Glass: background photons per pixel per frame, non-specific spots per um^2, and "dirty"
#: patches (mean count per um^2 of field, radius in um, spot density per um^2).
GLASS_LEVEL = 15.0
GLASS_DENSITY = 0.03
DIRT_PER_UM2 = 1.0 / 5000.0
DIRT_RADIUS = (2.0, 8.0)
DIRT_DENSITY = (0.2, 1.5)
#: Blobs per blobby cell (1 + Poisson of this mean), their sigma (um) and peak relative to
#: the cell's level.
BLOBS_MEAN = 1.5
BLOB_SIGMA = (1.5, 4.0)
BLOB_PEAK = (0.5, 3.0)
#: Illumination: beam centre offset (r.m.s., fraction of the field) and 1/e^2 radius
#: (fraction of the field's larger side).
BEAM_OFFSET = 0.1
BEAM_WAIST = (0.9, 1.6)


def _shapes(rng, n, radius_px, aspect, harmonic):
    """Radii, aspects, angles and harmonics (n, HARMONICS, 2) of ``n`` footprints."""
    radii = rng.uniform(*radius_px, n)
    aspects = rng.uniform(*aspect, n)
    angles = rng.uniform(0.0, np.pi, n)
    amplitudes = harmonic * rng.standard_normal((n, HARMONICS))
    # Keep the edge star-shaped: sum |a_m| <= 0.6.
    amplitudes *= np.minimum(1.0, 0.6 / np.maximum(np.abs(amplitudes).sum(1), 1e-12))[:, None]
    phases = rng.uniform(0.0, 2 * np.pi, (n, HARMONICS))
    return radii, aspects, angles, np.stack([amplitudes, phases], axis=-1)


def _points_in_ellipses(rng, centres, radii, aspects, angles, counts, reach=1.0):
    """``counts[k]`` points uniform in cell k's ellipse (r0, aspect, angle), ``reach`` of it."""
    owner = np.repeat(np.arange(len(counts)), counts)
    r = reach * radii[owner] * np.sqrt(rng.uniform(size=len(owner)))
    theta = rng.uniform(0.0, 2 * np.pi, len(owner))
    u, v = aspects[owner] * r * np.cos(theta), r * np.sin(theta)
    cos_a, sin_a = np.cos(angles[owner]), np.sin(angles[owner])
    return np.stack([centres[owner, 0] + u * sin_a + v * cos_a,
                     centres[owner, 1] + u * cos_a - v * sin_a], axis=1)


def draw_scene(rng, shape, pixel_size):
    """Draw and render the layout of one field of view.

    Returns a Bunch: ``cells`` (int16 labels), ``populations`` (int8),
    ``density`` (float32, labelled spots per um^2), ``blobs`` (float64,
    photons per pixel), ``cell_levels``, ``base_level`` (glass plus cell level
    at each pixel), ``beam_centre`` and ``beam_waist`` (pixels).
    """
    height, width = shape
    area = height * width * pixel_size**2
    n_cells = 1 + rng.poisson(area * CELLS_PER_UM2)
    weights = np.array([p.weight for p in POPULATIONS])
    kind = rng.choice(len(POPULATIONS), n_cells, p=weights / weights.sum())
    centres = rng.uniform(0, 1, (n_cells, 2)) * [height, width]
    radii, aspects, angles = np.empty(n_cells), np.empty(n_cells), np.empty(n_cells)
    harmonics = np.empty((n_cells, HARMONICS, 2))
    density, levels = np.empty(n_cells), np.empty(n_cells)
    n_patches, blobby = np.empty(n_cells, dtype=np.int64), np.empty(n_cells, dtype=bool)
    for p, population in enumerate(POPULATIONS):
        mine = kind == p
        n = int(mine.sum())
        radius_px = np.array(population.radius) / pixel_size
        radii[mine], aspects[mine], angles[mine], harmonics[mine] = _shapes(
            rng, n, radius_px, population.aspect, population.harmonic)
        density[mine] = population.density * np.exp(population.density_sigma
                                                     * rng.standard_normal(n))
        levels[mine] = rng.uniform(*population.level, n)
        n_patches[mine] = 1 + rng.poisson(population.patches, n)
        blobby[mine] = rng.uniform(size=n) < population.blob_chance
    cells = cell_footprints(shape, centres, radii, aspects, angles, harmonics)

    seeds = _points_in_ellipses(rng, centres, radii, aspects, angles, n_patches)
    multipliers = np.exp(PATCH_SIGMA * rng.standard_normal(len(seeds)))
    first_seed = np.concatenate([[0], np.cumsum(n_patches)])

    n_dirt = rng.poisson(area * DIRT_PER_UM2)
    dirt_radii, dirt_aspects, dirt_angles, dirt_harmonics = _shapes(
        rng, n_dirt, np.array(DIRT_RADIUS) / pixel_size, (1.0, 2.0), 0.1)
    dirt = cell_footprints(shape, rng.uniform(0, 1, (n_dirt, 2)) * [height, width], dirt_radii,
                           dirt_aspects, dirt_angles, dirt_harmonics)
    dirt_density = np.concatenate([[GLASS_DENSITY], rng.uniform(*DIRT_DENSITY, n_dirt)])
    glass = dirt_density[dirt]
    spot_density = patch_density(cells, density, seeds, multipliers, first_seed, glass)

    n_blobs = np.where(blobby, 1 + rng.poisson(BLOBS_MEAN, n_cells), 0)
    where = _points_in_ellipses(rng, centres, radii, aspects, angles, n_blobs, reach=0.8)
    owner = np.repeat(np.arange(n_cells), n_blobs)
    blobs = render_blobs(shape, where[:, 0], where[:, 1],
                         rng.uniform(*BLOB_SIGMA, len(owner)) / pixel_size,
                         levels[owner] * rng.uniform(*BLOB_PEAK, len(owner)))

    offset = BEAM_OFFSET * rng.standard_normal(2) * [height, width]
    beam_waist = rng.uniform(*BEAM_WAIST) * max(height, width)
    populations = np.concatenate([[0], kind + 1]).astype(np.int8)[cells]
    base_level = GLASS_LEVEL + np.concatenate([[0.0], levels])[cells]
    return Bunch(cells=cells, populations=populations, density=spot_density, blobs=blobs,
                 cell_levels=levels, base_level=base_level,
                 beam_centre=(height / 2 + offset[0], width / 2 + offset[1]),
                 beam_waist=beam_waist)


def suitable_pixels(populations, density, blob_fraction):
    """The rule: a suitable population, density in [D_MIN, D_MAX], blobs below the limit."""
    suitable_population = np.isin(populations, SUITABLE_POPULATIONS)
    return (suitable_population & (density >= D_MIN) & (density <= D_MAX)
            & (blob_fraction <= BLOB_MAX_FRACTION))


def receptor_density(centres, cells, pixel_size):
    """Receptors per um^2 about each pixel: the spots in cells, in a Gaussian window.

    Each spot whose pixel lies in a cell counts (non-specific spots on the
    glass do not), weighted by a Gaussian of sigma ``DENSITY_WINDOW``
    centred on the pixel; beyond the image, nothing counts.
    """
    rows, cols = np.clip(np.rint(centres).astype(np.intp), 0,
                         np.array(cells.shape) - 1).T
    flat = np.ravel_multi_index((rows, cols), cells.shape)
    flat = flat[cells.reshape(-1)[flat] > 0]
    counts = np.bincount(flat, minlength=cells.size).astype(np.float64).reshape(cells.shape)
    window = ndimage.gaussian_filter(counts, DENSITY_WINDOW / pixel_size, mode="constant")
    return window / pixel_size**2


def spot_positions(rng, expected):
    """Spot centres (k, 2) in pixels of a Poisson process of ``expected`` spots per pixel.

    A Poisson total, each spot in a pixel drawn with probability proportional
    to its expectation and uniform within it: the same process as a Poisson
    count per pixel, at the cost of the spots rather than of the pixels.
    """
    cumulative = np.cumsum(expected, dtype=np.float64)
    total = cumulative[-1]
    flat = np.searchsorted(cumulative, rng.uniform(0.0, total, rng.poisson(total)), side="right")
    rows, cols = np.divmod(np.minimum(flat, len(cumulative) - 1), expected.shape[1])
    centres = np.stack([rows, cols], axis=1).astype(np.float64)
    return centres + rng.uniform(-0.5, 0.5, centres.shape)
