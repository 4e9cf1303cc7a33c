r"""Synthetic FLImP fields of view: where single-molecule imaging of receptors can work.

Fluorescence localisation imaging with photobleaching (FLImP, Needham et al.
2016) measures receptor oligomers from single labelled molecules; it needs
regions of cells with separable diffraction-limited spots, told apart from
non-specific labelling on the glass, on a homogeneous background. Operators
pick such regions by hand; these images train a segmentation to do it.

Fields of view
--------------

Each image, drawn with one random state (``_flimp_scenes`` holds the numbers,
``simulators._flimp`` the kernels and the optics and camera constants with
their sources):

- cells: :math:`1 + \mathrm{Poisson}(A / 1200\ \mu m^2)` cells with uniform
  centres, later ones on top; each of one of three populations with its own
  look: ``carcinoma`` (spread, 16-32 um across, ruffled edges, median 0.6
  receptors per um\ :sup:`2`), ``fibroblast`` (elongated, aspect 2.5-4,
  median 0.4 per um\ :sup:`2`), ``lymphocyte`` (small, round, densely
  labelled, median 2.5 per um\ :sup:`2`). Only the first two are suitable
  populations (``suitable_populations``).
- receptor density: per cell, the population's median times a log-normal
  factor (sigma 0.8; 0.4 for lymphocytes), times a log-normal factor (sigma
  0.95) for each of a few Voronoi patches of the cell: sharp steps, so that
  the boundary of the target is learnable.
- glass: non-specific spots at 0.03 per um\ :sup:`2`, and "dirty" patches of
  0.2-1.5 per um\ :sup:`2`, 4-16 um across (no autofluorescence: what tells
  them from cells is the cells' autofluorescence).
- spots: a Poisson process with the density as intensity (a Poisson total,
  placed in pixels in proportion to their expectation, uniform within them);
  photons per spot per frame log-normal (sigma 0.3) about a median uniform in
  150-400 per image; the integrated Gaussian PSF of sigma 0.21 lambda / NA
  (94 nm, 0.59 pixel).
- background: glass 15 photons per pixel per frame, each cell's
  autofluorescence 5-25 above it, and in some cells autofluorescence blobs
  (Gaussian, sigma 1.5-4 um, peak 0.5-3 times the cell's level).
- illumination: a Gaussian beam (centre off by 10 % r.m.s. of the field,
  :math:`1/e^2` radius 0.9-1.6 times the field) multiplies all of it.
- frames: each spot bleaches at an exponential time of rate 0.05 per frame
  (``BLEACH_RATE``) and is dark from then on; spots on glass too.
- camera: EMCCD noise per frame (``_flimp_camera``), in ADU.

The rule
--------

A pixel is ``suitable`` iff, on the ground truth (never on noisy counts):

(a) it is in a cell of a suitable population (carcinoma, fibroblast);
(b) the local density of the receptors drawn is within [0.2, 1.0] per
    um\ :sup:`2` (``D_MIN``, ``D_MAX``): below, a 2 um x 2 um analysis region
    holds fewer than one molecule on average; above, more than 10 % of spots
    have a neighbour within 2 PSF sigmas (:math:`1 - e^{-\pi D (2\sigma)^2}`),
    where they cannot be told apart. The local density (``local_density``)
    counts the receptors of the image, not their expectation, in a Gaussian
    window of sigma 1 um (``DENSITY_WINDOW``) about the pixel: what a region
    holds is what FLImP can image, and what the image shows. (The
    expectation, ``density``, leaves the answer to the luck of a few spots:
    with the true cells, blobs and spots, thresholding the spots' count
    scores a Dice coefficient of only 0.83 against it.)
(c) the background is homogeneous there: the autofluorescence blobs add at
    most 25 % (``BLOB_MAX_FRACTION``) of the local base level (glass plus the
    cell's autofluorescence), given as ``blob_fraction``.

With these numbers 64 % of cell pixels are unsuitable, and a cell mask alone
(every cell pixel suitable) scores a Dice coefficient of 0.53 against
``suitable`` (50 images of 512 x 512, seed 0; ``tests/datasets/test_flimp.py``
measures both on smaller images).
"""

from concurrent.futures import ThreadPoolExecutor
from numbers import Integral

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._framework import Number, StrOptions
from .._progress import chunked_progress
from ..simulators._flimp import PIXEL_SIZE_UM, PSF_SIGMA_UM, flimp_expected_image, render_spots
from ..storage._stored_generator import stored_generator
from ._flimp_camera import emccd_adu
from ._flimp_scenes import (
    GLASS_LEVEL,
    POPULATION_NAMES,
    SUITABLE_POPULATIONS,
    draw_scene,
    receptor_density,
    spot_positions,
    suitable_pixels,
)

#: Photobleaching rate per frame of every spot (mean life 20 frames; modelling choice:
#: Alexa Fluor 647 under TIRF bleaches in seconds to tens of seconds at 10-100 ms frames).
BLEACH_RATE = 0.05
#: Median photons per spot per frame, uniform per image, and the log-normal spread of spots.
SPOT_PHOTONS = (150.0, 400.0)
SPOT_PHOTONS_SIGMA = 0.3

#: Camera noise is drawn in this many bands of rows, each from a stream of its own, on as
#: many threads (numpy's draws release the GIL): the same numbers on any machine.
_NOISE_BANDS = 2

_DESCR_HEAD = """\
.. _flimp_dataset:

FLImP: regions suitable for single-molecule imaging of receptors
----------------------------------------------------------------

- {n} fields of view of {h} x {w} pixels of {pixel:g} um, {frames} frame(s).
- target: {target}.

"""


def _check_shape(shape):
    if (len(shape) != 2 or not all(isinstance(v, Integral) and not isinstance(v, bool)
                                   for v in shape) or min(shape) < 8):
        raise ValueError(f"shape must be a tuple of two ints >= 8 (rows, columns); got {shape!r}.")
    return int(shape[0]), int(shape[1])


def _simulate(n_images, shape, n_frames, rng, progress):
    """Every field of view: the draws in a fixed order, image after image."""
    # Spots and camera noise from fast streams of their own seeded by rng (the spots do
    # not depend on the number of frames); the noise of each band of rows from its own.
    spot_rng, *noise_rngs = (np.random.Generator(np.random.SFC64(seed))
                             for seed in rng.randint(2**31 - 1, size=1 + _NOISE_BANDS))
    bands = [slice(rows[0], rows[-1] + 1)
             for rows in np.array_split(np.arange(shape[0]), _NOISE_BANDS)]
    pixel_area = PIXEL_SIZE_UM**2
    sigma_px = PSF_SIGMA_UM / PIXEL_SIZE_UM
    data = np.empty((n_images, n_frames, *shape), dtype=np.float32)
    fields = {name: np.empty((n_images, *shape), dtype=dtype) for name, dtype in
              [("cells", np.int16), ("populations", np.int8), ("density", np.float32),
               ("local_density", np.float32), ("blob_fraction", np.float32)]}
    spots = []
    with (chunked_progress(n_images, "simulating FLImP images", progress) as bar,
          ThreadPoolExecutor(_NOISE_BANDS) as threads):
        for i in range(n_images):
            median_photons = rng.uniform(*SPOT_PHOTONS)
            scene = draw_scene(rng, shape, PIXEL_SIZE_UM)
            centres = spot_positions(spot_rng, scene.density * pixel_area)
            photons = median_photons * np.exp(SPOT_PHOTONS_SIGMA
                                              * spot_rng.standard_normal(len(centres)))
            bleached = spot_rng.exponential(1.0 / BLEACH_RATE, len(centres))
            for t in range(n_frames):
                on = bleached > t
                image = render_spots(shape, centres[on, 0], centres[on, 1], photons[on],
                                     sigma_px)
                expected = flimp_expected_image(scene.cells, scene.cell_levels, GLASS_LEVEL,
                                                scene.blobs, image, scene.beam_centre,
                                                scene.beam_waist)
                frame = data[i, t]
                list(threads.map(lambda band, noise: emccd_adu(expected[band], noise,
                                                                frame[band]),
                                 bands, noise_rngs))
            fields["cells"][i] = scene.cells
            fields["populations"][i] = scene.populations
            fields["density"][i] = scene.density
            fields["local_density"][i] = receptor_density(centres, scene.cells, PIXEL_SIZE_UM)
            fields["blob_fraction"][i] = scene.blobs / scene.base_level
            spots.append(centres)
            bar.update(1)
    return data, fields, spots


@stored_generator(
    {
        "n_images": [Number(Integral, 1, None, closed="left")],
        "shape": [tuple],
        "n_frames": [Number(Integral, 1, None, closed="left")],
        "target": [StrOptions({"suitable", "population"})],
        "random_state": ["random_state"],
        "progress": ["boolean"],
        "return_X_y": ["boolean"],
    }
)
def make_flimp_images(n_images=100, *, shape=(512, 512), n_frames=1, target="suitable",
                      random_state=None, progress=False, return_X_y=False):
    """Simulate FLImP fields of view with the pixels suitable for single-molecule imaging.

    Cells of three populations with patchy receptor densities, non-specific
    labelling on the glass, autofluorescence, uneven illumination and EMCCD
    noise (the module documentation gives the recipe and the rule that
    defines ``suitable``); with several frames, spots photobleach.

    Parameters
    ----------
    n_images : int, default=100
        Number of fields of view.
    shape : tuple of (int, int), default=(512, 512)
        Pixels (rows, columns) of each image, 0.16 um each: 512 pixels are 82 um.
    n_frames : int, default=1
        Frames per image; spots bleach over them (rate 0.05 per frame).
    target : {"suitable", "population"}, default="suitable"
        What ``target`` holds: the suitable mask (bool), or the population of
        each pixel (int8, 0 background, 1-3 the populations).
    random_state : int, RandomState instance or None, default=None
        Seeds every draw.
    progress : bool, default=False
        Show a progress bar while simulating.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (n_images, H, W) or (n_images, n_frames, H, W), float32
            The camera frames in ADU; one frame drops the frame axis.
        target : ndarray of shape (n_images, H, W)
            ``suitable`` (bool) or ``populations`` (int8), as ``target`` asks.
        target_names : tuple of str
            ``("unsuitable", "suitable")`` or ``("background", "carcinoma",
            "fibroblast", "lymphocyte")``.
        suitable : ndarray of shape (n_images, H, W), bool
            The pixels suitable for FLImP (the module documentation's rule).
        populations : ndarray of shape (n_images, H, W), int8
            0 background, k the population ``population_names[k - 1]`` of the top cell.
        cells : ndarray of shape (n_images, H, W), int16
            0 glass, k cell k of the image.
        density : ndarray of shape (n_images, H, W), float32
            Expected labelled spots per um^2: receptors in cells, non-specific on glass.
        local_density : ndarray of shape (n_images, H, W), float32
            The rule's density: the receptors drawn, counted in a Gaussian
            window of sigma 1 um about each pixel, per um^2.
        blob_fraction : ndarray of shape (n_images, H, W), float32
            Autofluorescence blobs over the local base level (glass plus cell).
        spots : list of ndarray of shape (n_spots, 2)
            Per image, the (row, column) pixel centres of every labelled spot in
            frame 0 (receptors and non-specific). Not stored with ``out``
            beyond the first chunk's images: keep it in memory.
        pixel_size : float
            Pixel size in um (0.16).
        population_names : tuple of str
            ``("carcinoma", "fibroblast", "lymphocyte")``.
        suitable_populations : tuple of int
            The populations whose cells can be suitable: ``(1, 2)``.
        DESCR : str
            Description of the set and of the simulator.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    ValueError
        If ``shape`` is not two ints >= 8, or another argument is out of
        range (``InvalidParameterError``, a ValueError, naming it).

    References
    ----------
    .. [1] S. R. Needham et al., "EGFR oligomerization organizes kinase-active
       dimers into competent signalling platforms", *Nat. Commun.* 7, 13307
       (2016).

    Examples
    --------
    >>> from sciml_estimators.datasets import make_flimp_images
    >>> images = make_flimp_images(2, shape=(64, 64), random_state=0)
    >>> images.data.shape, images.data.dtype, images.target.dtype
    ((2, 64, 64), dtype('float32'), dtype('bool'))
    >>> images.target_names
    ('unsuitable', 'suitable')
    """
    shape = _check_shape(shape)
    rng = check_random_state(random_state)
    data, fields, spots = _simulate(n_images, shape, n_frames, rng, progress)
    if n_frames == 1:
        data = data[:, 0]
    suitable = suitable_pixels(fields["populations"], fields["local_density"],
                               fields["blob_fraction"])
    if target == "suitable":
        labels, target_names = suitable, ("unsuitable", "suitable")
    else:
        labels, target_names = fields["populations"], ("background", *POPULATION_NAMES)
    if return_X_y:
        return data, labels
    descr = _DESCR_HEAD.format(n=n_images, h=shape[0], w=shape[1], pixel=PIXEL_SIZE_UM,
                               frames=n_frames, target=target)
    return Bunch(data=data, target=labels, target_names=target_names, suitable=suitable,
                 **fields, spots=spots, pixel_size=PIXEL_SIZE_UM,
                 population_names=POPULATION_NAMES, suitable_populations=SUITABLE_POPULATIONS,
                 DESCR=descr + __doc__)
