r"""Expected photons of a FLImP single-molecule image: cells, spots, background.

Definition
----------

A field of view of fixed cells on glass, imaged in TIRF on an EMCCD, as for
fluorescence localisation imaging with photobleaching (FLImP, OCTOPUS at
STFC's Central Laser Facility [1]_). Pixel ``(i, j)`` covers
:math:`[i - 1/2, i + 1/2] \times [j - 1/2, j + 1/2]` in pixel units (rows
``y``, columns ``x``); every position below is in these coordinates.

- Cell adhesion footprints (:func:`~._flimp_cells.cell_footprints`): star-shaped regions,
  cell :math:`k` covering the pixel centres with
  :math:`\rho \le r_0 (1 + \sum_m a_m \cos(m\varphi + p_m))`, where
  :math:`(\rho, \varphi)` are polar coordinates about the cell's centre after
  rotating by ``-angle`` and dividing the long axis by ``aspect``. A circle
  (no harmonics, aspect 1) covers :math:`\approx \pi r_0^2` pixels; an
  ellipse :math:`\pi r_0^2 \cdot \mathrm{aspect}`. Later cells lie on top.
- Labelled receptors (:func:`render_spots`): each a diffraction-limited spot,
  the Gaussian approximation of the widefield PSF with
  :math:`\sigma \approx 0.21 \lambda / \mathrm{NA}` [2]_, integrated exactly
  over each pixel (differences of error functions), within
  :math:`\lceil 6\sigma \rceil + 1` pixels of its centre (the mass left out
  is below 1e-8 of the spot's photons).
- Receptor density (:func:`~._flimp_cells.patch_density`): per cell a density times the
  multiplier of the patch the pixel falls in, patches being the Voronoi
  cells of a few seeds of that cell (sharp steps between patches); the glass
  keeps the density given for it (non-specific labelling).
- Expected image (:func:`flimp_expected_image`): illumination times the sum of
  the glass level, each cell's autofluorescence level, the autofluorescence
  blobs (:func:`render_blobs`, Gaussian patches of given peak) and the spots.
  The illumination is a Gaussian beam, :math:`\exp(-2 r^2 / w^2)` about its
  centre (TIRF illumination is uneven across the field).

Camera noise is drawn in the dataset layer (EMCCD: Poisson photo-electrons
at quantum efficiency ``QE``, a gain register giving Gamma(n, ``EM_GAIN``)
electrons out for n > 0 [3]_ [4]_, Gaussian read noise, ``SENSITIVITY``
electrons per ADU and an ``OFFSET_ADU`` baseline): these kernels hold no
random numbers.

Validation
----------

``tests/simulators/test_flimp.py``: a spot integrates to its photons (to
1e-6) with its centroid at its position and its variance
:math:`\sigma^2 + 1/12` px\ :sup:`2` (pixel integration); a circular
footprint's area against :math:`\pi r^2` within its boundary pixels, an
ellipse's against :math:`\pi r^2 \cdot \mathrm{aspect}`; blobs and patch
densities against direct NumPy evaluations.
:mod:`._flimp_cells` holds the footprint and density kernels.

References
----------

.. [1] S. R. Needham et al., "EGFR oligomerization organizes kinase-active
   dimers into competent signalling platforms", *Nat. Commun.* 7, 13307
   (2016).
.. [2] B. Zhang, J. Zerubia and J.-C. Olivo-Marin, "Gaussian approximations
   of fluorescence microscope point-spread function models", *Appl. Opt.* 46,
   1819-1829 (2007).
.. [3] A. G. Basden, C. A. Haniff and C. D. Mackay, "Photon counting
   strategies with low-light-level CCDs", *MNRAS* 345, 985-991 (2003).
.. [4] M. Hirsch, R. J. Wareham, M. L. Martin-Fernandez, M. P. Hobson and
   D. J. Rolfe, "A stochastic model for electron multiplication
   charge-coupled devices - from theory to practice", *PLoS ONE* 8, e53671
   (2013).
"""

import math

import numpy as np
from numba import njit

__all__ = ["flimp_expected_image", "render_blobs", "render_spots"]

#: Emission peak of Alexa Fluor 647 in um (Thermo Fisher spectra: 665-671 nm).
WAVELENGTH_UM = 0.670
#: Numerical aperture of a 100x oil TIRF objective (e.g. Olympus UAPON 100x OTIRF).
NUMERICAL_APERTURE = 1.49
#: Camera pixel in um (Andor iXon Ultra 897 data sheet: 16 um x 16 um pixels).
CAMERA_PIXEL_UM = 16.0
MAGNIFICATION = 100.0
#: Pixel size in the sample plane, um: 16 um / 100x.
PIXEL_SIZE_UM = CAMERA_PIXEL_UM / MAGNIFICATION
#: Gaussian PSF sigma in um, 0.21 lambda / NA (Zhang et al. 2007, widefield): 0.094 um.
PSF_SIGMA_UM = 0.21 * WAVELENGTH_UM / NUMERICAL_APERTURE
#: Quantum efficiency at 650-670 nm (iXon Ultra 897 data sheet, BV sensor: > 90 %, ~0.95).
QE = 0.95
#: EM gain (the 897 offers 1-1000; 300 is a common single-molecule setting).
EM_GAIN = 300.0
#: Read noise in electrons r.m.s. before the gain (897 data sheet: tens of electrons at
#: 10-17 MHz, < 1 e- effective after EM gain; 50 is a modelling choice in that range).
READ_NOISE_E = 50.0
#: Spurious charge (clock-induced) in electrons per pixel per frame (897 data sheet: 0.005).
SPURIOUS_CHARGE = 0.005
#: Electrons per ADU after the gain register and baseline offset in ADU (modelling choices
#: in the range of the 897's pre-amplifier settings and baseline clamp).
SENSITIVITY = 10.0
OFFSET_ADU = 100.0

#: Half-width of a spot's window in sigmas (the 2-D mass left out is < 1e-8).
_SPOT_WINDOW = 6.0
#: Half-width of a blob's window in sigmas (its tail there is exp(-12.5) < 4e-6 of the peak).
_BLOB_WINDOW = 5.0


@njit(cache=True)
def _pixel_fractions(centre, sigma, first, fractions):
    """Fraction of a 1-D Gaussian in pixels first, first + 1, ... (scalar core)."""
    scale = 1.0 / (math.sqrt(2.0) * sigma)
    below = math.erf((first - 0.5 - centre) * scale)
    for n in range(len(fractions)):
        above = math.erf((first + n + 0.5 - centre) * scale)
        fractions[n] = 0.5 * (above - below)
        below = above


@njit(cache=True)
def _add_spots(image, y, x, photons, sigma):
    """Add pixel-integrated Gaussian spots to ``image`` in place (the kernel)."""
    height, width = image.shape
    half = int(math.ceil(_SPOT_WINDOW * sigma)) + 1
    rows = np.empty(2 * half + 1)
    cols = np.empty(2 * half + 1)
    for s in range(len(y)):
        i0 = int(math.floor(y[s] + 0.5)) - half
        j0 = int(math.floor(x[s] + 0.5)) - half
        _pixel_fractions(y[s], sigma, i0, rows)
        _pixel_fractions(x[s], sigma, j0, cols)
        for a in range(2 * half + 1):
            i = i0 + a
            if 0 <= i < height:
                weight = photons[s] * rows[a]
                for b in range(2 * half + 1):
                    j = j0 + b
                    if 0 <= j < width:
                        image[i, j] += weight * cols[b]


def render_spots(shape, y, x, photons, sigma_px):
    """Expected photons per pixel of diffraction-limited spots (integrated Gaussian PSF).

    Parameters
    ----------
    shape : tuple of (int, int)
        Image shape (rows, columns).
    y, x : array-like of shape (n_spots,)
        Spot centres in pixels (pixel ``i`` spans ``[i - 0.5, i + 0.5]``).
    photons : float or array-like of shape (n_spots,)
        Photons of each spot reaching the camera.
    sigma_px : float
        PSF sigma in pixels (``PSF_SIGMA_UM / PIXEL_SIZE_UM`` = 0.59 by default).

    Returns
    -------
    image : ndarray of shape ``shape``, float64
        Expected photons per pixel; spots near an edge lose what falls outside.

    Raises
    ------
    ValueError
        If ``sigma_px`` is not positive or the arrays' lengths differ.

    Examples
    --------
    >>> from sciml_estimators.simulators import render_spots
    >>> image = render_spots((32, 32), [16.2], [10.7], [300.0], 0.59)
    >>> round(float(image.sum()), 6)
    300.0
    """
    y, x = (np.asarray(a, dtype=np.float64).reshape(-1) for a in (y, x))
    photons = np.broadcast_to(np.asarray(photons, dtype=np.float64), y.shape)
    if len(x) != len(y) or not sigma_px > 0:
        raise ValueError(f"render_spots needs y and x of one length and sigma_px > 0; got "
                         f"{len(y)}, {len(x)} spots and sigma_px={sigma_px!r}.")
    image = np.zeros(shape)
    _add_spots(image, y, x, np.ascontiguousarray(photons), float(sigma_px))
    return image


@njit(cache=True)
def _blobs(image, y, x, sigma, amplitude):
    height, width = image.shape
    for s in range(len(y)):
        half = int(math.ceil(_BLOB_WINDOW * sigma[s]))
        inverse = 0.5 / sigma[s] ** 2
        ci, cj = int(math.floor(y[s] + 0.5)), int(math.floor(x[s] + 0.5))
        j0, j1 = max(0, cj - half), min(width, cj + half + 1)
        columns = np.empty(max(j1 - j0, 0))
        for j in range(j0, j1):  # the Gaussian is separable: one exp per row and column
            columns[j - j0] = math.exp(-inverse * (j - x[s]) ** 2)
        for i in range(max(0, ci - half), min(height, ci + half + 1)):
            row = amplitude[s] * math.exp(-inverse * (i - y[s]) ** 2)
            for j in range(j0, j1):
                image[i, j] += row * columns[j - j0]


def render_blobs(shape, y, x, sigma, amplitude):
    """Autofluorescence blobs: Gaussian patches of given peak, summed.

    Parameters
    ----------
    shape : tuple of (int, int)
        Image shape (rows, columns).
    y, x : array-like of shape (n_blobs,)
        Blob centres in pixels.
    sigma : array-like of shape (n_blobs,)
        Blob widths (Gaussian sigma) in pixels.
    amplitude : array-like of shape (n_blobs,)
        Peak of each blob (photons per pixel), cut off beyond 5 sigma.

    Returns
    -------
    image : ndarray of shape ``shape``, float64
        :math:`\\sum_s A_s \\exp(-|r - r_s|^2 / 2\\sigma_s^2)` at each pixel centre.

    Raises
    ------
    ValueError
        If the arrays' lengths differ or a sigma is not positive.

    Examples
    --------
    >>> from sciml_estimators.simulators import render_blobs
    >>> image = render_blobs((16, 16), [8.0], [8.0], [2.0], [10.0])
    >>> float(image[8, 8]), round(float(image[8, 10]), 4)
    (10.0, 6.0653)
    """
    arrays = [np.asarray(a, dtype=np.float64).reshape(-1) for a in (y, x, sigma, amplitude)]
    if len({len(a) for a in arrays}) != 1 or not np.all(arrays[2] > 0):
        raise ValueError("render_blobs needs y, x, sigma and amplitude of one length with "
                         f"sigma > 0; got lengths {[len(a) for a in arrays]}.")
    image = np.zeros(shape)
    _blobs(image, *arrays)
    return image


@njit(cache=True)
def _expected_image(cells, cell_levels, glass_level, blobs, spots, beam_y, beam_x, beam_waist,
                    out):
    height, width = cells.shape
    scale = 2.0 / beam_waist**2
    columns = np.empty(width)
    for j in range(width):  # the beam is separable: one exp per row and column
        columns[j] = math.exp(-scale * (j - beam_x) ** 2)
    for i in range(height):
        row = math.exp(-scale * (i - beam_y) ** 2)
        for j in range(width):
            k = cells[i, j]
            level = glass_level + blobs[i, j] + spots[i, j]
            if k > 0:
                level += cell_levels[k - 1]
            out[i, j] = level * row * columns[j]


def flimp_expected_image(cells, cell_levels, glass_level, blobs, spots, beam_centre,
                         beam_waist):
    """Expected photons per pixel: everything fluorescent under a Gaussian beam.

    Parameters
    ----------
    cells : ndarray of shape (H, W), int
        Cell labels (0 glass, k cell k).
    cell_levels : array-like of shape (n_cells,)
        Autofluorescence of each cell, photons per pixel, on top of the glass level.
    glass_level : float
        Background of the glass, photons per pixel.
    blobs : ndarray of shape (H, W)
        Autofluorescence blobs, photons per pixel (:func:`render_blobs`).
    spots : ndarray of shape (H, W)
        Expected spot photons per pixel (:func:`render_spots`).
    beam_centre : tuple of (float, float)
        Centre (row, column) of the illumination in pixels.
    beam_waist : float
        :math:`1/e^2` radius :math:`w` of the illumination in pixels.

    Returns
    -------
    image : ndarray of shape (H, W), float64
        :math:`e^{-2 r^2 / w^2}` (glass + cell level + blobs + spots).

    Raises
    ------
    ValueError
        If the shapes disagree or ``beam_waist`` is not positive.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import flimp_expected_image
    >>> cells = np.zeros((8, 8), dtype=np.int16); cells[4:, :] = 1
    >>> image = flimp_expected_image(cells, [20.0], 10.0, np.zeros((8, 8)), np.zeros((8, 8)),
    ...                              (4.0, 4.0), 1e6)
    >>> round(float(image[0, 0]), 6), round(float(image[5, 5]), 6)
    (10.0, 30.0)
    """
    cells = np.asarray(cells)
    blobs, spots = (np.asarray(a, dtype=np.float64) for a in (blobs, spots))
    cell_levels = np.asarray(cell_levels, dtype=np.float64).reshape(-1)
    if blobs.shape != cells.shape or spots.shape != cells.shape or not beam_waist > 0 \
            or cells.max(initial=0) > len(cell_levels):
        raise ValueError(f"flimp_expected_image needs cells, blobs and spots of one shape, a "
                         f"level per cell and beam_waist > 0; got {cells.shape}, "
                         f"{blobs.shape}, {spots.shape}, {len(cell_levels)} levels and "
                         f"beam_waist={beam_waist!r}.")
    out = np.empty(cells.shape)
    _expected_image(cells, cell_levels, float(glass_level), blobs, spots, float(beam_centre[0]),
                    float(beam_centre[1]), float(beam_waist), out)
    return out
