"""The classical FLImP region rule: spots by Laplacian of Gaussian, their local density, thresholds.

What an operator's script does without a network: find the labelled
receptors as local maxima of the Laplacian-of-Gaussian response, count them
in a Gaussian window to get a density per square micrometre, take the cells
as where the smoothed background (cell autofluorescence) is bright, and the
background as homogeneous where its local coefficient of variation is small;
a pixel is suitable where every chosen criterion holds. The thresholds are
tuned on the training images to maximise Dice against their masks. With
``criteria=("cell",)`` it is the cell-mask-alone baseline: a tuned
brightness threshold.
"""

import numpy as np
from scipy import ndimage
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ..metrics import segmentation_scores

#: The criteria a rule may combine, each a feature map and its tuned bounds.
CRITERIA = ("cell", "density", "homogeneity")


def _images(X):
    """Micrographs (n, H, W) as float64, frame series (n, F, H, W) averaged over frames."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 4:
        X = X.mean(axis=1)
    if X.ndim != 3 or min(X.shape) == 0 or not np.isfinite(X).all():
        raise ValueError(
            "X must be finite micrographs (n_images, height, width) or frame series "
            f"(n_images, n_frames, height, width); got shape {X.shape}."
        )
    return X


def feature_maps(image, *, pixel_size, spot_sigma, spot_threshold, density_radius):
    """The rule's three feature maps of one micrograph.

    Parameters
    ----------
    image : ndarray of shape (height, width)
        One frame, or a series' mean.
    pixel_size : float
        In micrometres.
    spot_sigma : float
        Scale of the Laplacian of Gaussian, in pixels (about the PSF's sigma).
    spot_threshold : float
        A spot is a local maximum of the LoG response above this many robust
        standard deviations (1.4826 median absolute deviations) of the
        response in the quietest tenth of 16 x 16 tiles (the glass, where
        the image has some).
    density_radius : float
        Standard deviation of the Gaussian counting window, in micrometres.

    Returns
    -------
    maps : ndarray of shape (3, height, width)
        ``cell``: the background smoothed over 4 pixels (spots removed by a
        5 x 5 median); ``density``: detected spots per square micrometre;
        ``homogeneity``: the local coefficient of variation of the
        background over ``density_radius`` (0 where flat).
    """
    # The LoG itself removes a smooth background; subtracting a median first
    # would eat dense spots. Noise: the quietest tenth of 16 x 16 tiles (glass).
    response = -ndimage.gaussian_laplace(image, spot_sigma, mode="reflect")
    noise = _noise_floor(response) or 1.0
    peaks = (response == ndimage.maximum_filter(response, size=3, mode="reflect")) & (
        response > spot_threshold * noise)
    background = ndimage.median_filter(image, size=5, mode="reflect")
    window = density_radius / pixel_size
    density = ndimage.gaussian_filter(peaks.astype(np.float64), window, mode="reflect")
    density /= pixel_size**2
    smooth = ndimage.gaussian_filter(background, window, mode="reflect")
    spread = ndimage.gaussian_filter(background**2, window, mode="reflect") - smooth**2
    cv = np.sqrt(np.clip(spread, 0.0, None)) / np.maximum(np.abs(smooth), 1e-12)
    cell = ndimage.gaussian_filter(background, 4.0, mode="reflect")
    return np.stack([cell, density, cv])


def _noise_floor(response, tile=16):
    """The 10th percentile over ``tile`` x ``tile`` tiles of their robust standard deviations."""
    height, width = (size // tile * tile for size in response.shape)
    if not height or not width:
        tiles = response.reshape(1, -1)
    else:
        tiles = response[:height, :width].reshape(height // tile, tile, width // tile, tile)
        tiles = tiles.transpose(0, 2, 1, 3).reshape(-1, tile * tile)
    deviations = np.abs(tiles - np.median(tiles, axis=1, keepdims=True))
    return 1.4826 * np.percentile(np.median(deviations, axis=1), 10)


class SpotDensitySegmenter(ClassifierMixin, BaseEstimator):
    """A pixel is suitable where thresholds on cell brightness, spot density and background hold.

    See the module description. ``fit`` tunes, by coordinate ascent over
    ``n_thresholds`` quantiles of each feature on the training pixels, a
    lower bound on the cell map, a lower and an upper bound on the density
    and an upper bound on the background's variation, for the criteria
    chosen. Binary masks only.

    Parameters
    ----------
    criteria : tuple of str, default=("cell", "density", "homogeneity")
        Which of ``CRITERIA`` the rule combines.
    pixel_size : float, default=0.16
        Micrometres per pixel.
    spot_sigma : float, default=1.0
        Scale of the LoG spot detector, in pixels.
    spot_threshold : float, default=6.0
        Detection threshold of the LoG response, in robust standard deviations.
    density_radius : float, default=1.0
        Counting window (Gaussian standard deviation), in micrometres.
    n_thresholds : int, default=24
        Quantiles tried per threshold.
    n_rounds : int, default=3
        Rounds of coordinate ascent over the thresholds.
    max_tuning_pixels : int, default=400000
        Training pixels the tuning scores (evenly strided, so deterministic).

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels of the masks, e.g. ``[False, True]``.
    bounds_ : dict
        ``{criterion: (low, high)}``, the tuned bounds (``-inf``/``inf``
        where a side is open).
    """

    def __init__(self, *, criteria=CRITERIA, pixel_size=0.16, spot_sigma=1.0,
                 spot_threshold=6.0, density_radius=1.0, n_thresholds=24, n_rounds=3,
                 max_tuning_pixels=400_000):
        self.criteria = criteria
        self.pixel_size = pixel_size
        self.spot_sigma = spot_sigma
        self.spot_threshold = spot_threshold
        self.density_radius = density_radius
        self.n_thresholds = n_thresholds
        self.n_rounds = n_rounds
        self.max_tuning_pixels = max_tuning_pixels

    def _maps(self, images):
        """Feature maps (n_criteria, n_pixels) of the chosen criteria of ``_images(X)``."""
        unknown = set(self.criteria) - set(CRITERIA)
        if unknown or not self.criteria:
            raise ValueError(f"criteria must be some of {CRITERIA}; got {self.criteria!r}.")
        keep = [CRITERIA.index(name) for name in self.criteria]
        maps = [feature_maps(image, pixel_size=self.pixel_size, spot_sigma=self.spot_sigma,
                             spot_threshold=self.spot_threshold,
                             density_radius=self.density_radius)[keep]
                for image in images]
        return np.stack(maps, axis=1).reshape(len(keep), -1)

    def fit(self, X, y):
        """Tune the thresholds on micrographs and their masks.

        Parameters
        ----------
        X : array-like of shape (n_images, height, width) or (n_images, n_frames, height, width)
            Micrographs or frame series (averaged).
        y : array-like of shape (n_images, height, width)
            Two-class masks.

        Returns
        -------
        self : object
            The fitted rule.
        """
        images = _images(X)
        maps = self._maps(images)
        y = np.asarray(y)
        if y.shape != images.shape:
            raise ValueError(f"y must hold a mask per image, shape {images.shape}; "
                             f"got {y.shape}.")
        self.classes_ = np.unique(y)
        if self.classes_.size != 2:
            raise ValueError(
                f"SpotDensitySegmenter tells two classes apart; y holds {self.classes_.size} "
                f"({self.classes_[:5]}). Population maps need FLImPRegionSegmenter."
            )
        stride = max(1, maps.shape[1] // self.max_tuning_pixels)
        features, target = maps[:, ::stride], y.reshape(-1)[::stride] == self.classes_[1]
        levels = np.linspace(0.0, 1.0, self.n_thresholds)
        # (low, high) per criterion, open to start: cell needs a low, homogeneity a high.
        bounds = np.array([[-np.inf, np.inf]] * len(self.criteria))
        sides = [(0,) if name == "cell" else (1,) if name == "homogeneity" else (0, 1)
                 for name in self.criteria]

        def dice(candidate):
            inside = np.all((features >= candidate[:, :1]) & (features <= candidate[:, 1:]),
                            axis=0)
            return segmentation_scores(target, inside, [False, True])["dice"]

        best = dice(bounds)
        for _ in range(self.n_rounds):
            for row, row_sides in enumerate(sides):
                for side in row_sides:
                    for value in np.quantile(features[row], levels):
                        candidate = bounds.copy()
                        candidate[row, side] = value
                        score = dice(candidate)
                        if score > best:
                            best, bounds = score, candidate
        self.bounds_ = {name: tuple(float(v) for v in bound)
                        for name, bound in zip(self.criteria, bounds)}
        return self

    def predict_proba(self, X):
        """0 or 1: the rule's answer per pixel, as probabilities of the two classes.

        Parameters
        ----------
        X : array-like of shape (n_images, height, width) or (n_images, n_frames, height, width)
            Micrographs or frame series.

        Returns
        -------
        proba : ndarray of shape (n_images, height, width, 2)
        """
        check_is_fitted(self)
        images = _images(X)
        shape = images.shape
        maps = self._maps(images)
        bounds = np.array([self.bounds_[name] for name in self.criteria])
        inside = np.all((maps >= bounds[:, :1]) & (maps <= bounds[:, 1:]), axis=0)
        return np.stack([~inside, inside], axis=-1).astype(np.float64).reshape(*shape, 2)

    def predict(self, X):
        """The rule's label of every pixel.

        Parameters
        ----------
        X : array-like of shape (n_images, height, width) or (n_images, n_frames, height, width)
            Micrographs or frame series.

        Returns
        -------
        y_pred : ndarray of shape (n_images, height, width)
        """
        return self.classes_[self.predict_proba(X)[..., 1].astype(int)]
