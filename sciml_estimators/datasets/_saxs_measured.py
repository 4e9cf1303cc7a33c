"""A measurement's own instrument: its exact q points, per-point resolution and flux.

:class:`MeasuredInstrument` is the instrument of one measured profile, for
``make_saxs_1d(instrument=...)``: the file's q points as they are (not a
regular grid), its pinhole resolution dQ per point or its slit (``dQl``,
``dQw``), and a counting flux. :func:`~sciml_estimators.datasets.instrument_from_profile`
builds it from a loaded profile.
"""

import dataclasses
from numbers import Real

import numpy as np

from ..simulators._resolution import check_width
from ._poisson_noise import MAX_FLUX, MIN_FLUX

__all__ = ["MeasuredInstrument"]

DEFAULT_FLUX = 1000.0  # make_saxs_1d's default flux
_WIDTHS = ("dq", "slit_length", "slit_width")


@dataclasses.dataclass(frozen=True)
class MeasuredResolution:
    """The resolution of a measured profile: pinhole ``dq`` or slit length and width.

    Arrays in 1/Angstrom, one value per q point; the slit width is zero
    where the file gives none.
    """

    dq: np.ndarray | None = None
    slit_length: np.ndarray | None = None
    slit_width: np.ndarray | None = None

    def __str__(self):
        if self.dq is not None:
            return f"pinhole, measured dq per point, {_span(self.dq)} 1/A"
        return (
            f"slit, measured length dQl {_span(self.slit_length)} and width dQw "
            f"{_span(self.slit_width)} 1/A per point"
        )


def _span(values):
    low, high = np.min(values), np.max(values)
    return f"{low:.4g}" if low == high else f"{low:.4g} to {high:.4g}"


@dataclasses.dataclass(frozen=True, eq=False)
class MeasuredInstrument:
    """The instrument of a measured profile: its q points, resolution and flux.

    Unlike :class:`Instrument` (a regular grid and one dq/q), it holds the
    exact q points of a file and its resolution per point, either Gaussian
    pinhole (``dq``, as sasmodels' ``Pinhole1D``) or slit (``slit_length``
    and ``slit_width``, as sasmodels' ``Slit1D``), so that simulated profiles
    are smeared as the measurement was. The arrays are stored as read-only
    float64 copies.

    Parameters
    ----------
    q : array-like of shape (n_points,)
        Scattering vectors in 1/Angstrom: finite, positive, strictly
        increasing, at least 2.
    dq : float, array-like of shape (n_points,) or None, default=None
        Gaussian pinhole resolution in 1/Angstrom, one standard deviation
        per point (canSAS ``Qdev``, sasmodels' ``q_width``); finite and
        non-negative. All zero (or None) is ideal, as in sasmodels'
        ``DirectModel``.
    slit_length : float, array-like of shape (n_points,) or None, default=None
        Slit half-length in 1/Angstrom (canSAS ``dQl``, 0.117 on NIST's BT5
        USANS); finite and non-negative.
    slit_width : float, array-like of shape (n_points,) or None, default=None
        Slit half-width in 1/Angstrom (canSAS ``dQw``); finite and
        non-negative, positive only where ``slit_length`` is.
    flux : float, default=1000.0
        Expected counts per q bin for an intensity of 1 1/cm at the largest
        q, as ``make_saxs_1d``'s ``flux`` (used with ``noise="poisson"``), in
        [1e-12, 1e12].

    Attributes
    ----------
    n_points : int
        Number of q points.
    resolution : MeasuredResolution or None
        What ``make_saxs_1d`` smears with; None when ideal.

    Raises
    ------
    ValueError
        If ``q`` is not a strictly increasing 1-D array of at least 2
        finite positive values; if a resolution array is negative, not
        finite or not one value per q; if both a pinhole ``dq`` and a slit
        are given, or a slit width without a length; if ``flux`` is out of
        range.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.datasets import MeasuredInstrument, make_saxs_1d
    >>> q = np.geomspace(1e-4, 1e-2, 50)
    >>> usans = MeasuredInstrument(q, slit_length=0.117)
    >>> usans.n_points, str(usans.resolution)
    (50, 'slit, measured length dQl 0.117 and width dQw 0 1/A per point')
    >>> make_saxs_1d(4, shapes=["sphere"], instrument=usans, random_state=0).data.shape
    (4, 50)
    """

    q: np.ndarray
    dq: np.ndarray | None = None
    slit_length: np.ndarray | None = None
    slit_width: np.ndarray | None = None
    flux: float = DEFAULT_FLUX

    def __post_init__(self):
        q = np.array(self.q, dtype=np.float64)
        if q.ndim != 1 or q.size < 2:
            raise ValueError(
                "MeasuredInstrument q must be a 1-D array of at least 2 points; "
                f"got shape {q.shape}."
            )
        if not np.all(np.isfinite(q) & (q > 0)):
            raise ValueError("MeasuredInstrument q must be finite and positive (1/Angstrom).")
        steps = np.diff(q)
        if np.any(steps <= 0):
            index = int(np.flatnonzero(steps <= 0)[0])
            raise ValueError(
                "MeasuredInstrument q must be strictly increasing; got q[{0}] = {1!r} and "
                "q[{2}] = {3!r}. Sort the profile (and drop repeated q) first.".format(
                    index, q[index].item(), index + 1, q[index + 1].item()
                )
            )
        q.flags.writeable = False
        object.__setattr__(self, "q", q)
        for name in _WIDTHS:
            object.__setattr__(self, name, _check_width(name, getattr(self, name), q))
        if self.dq is not None and (self.slit_length is not None or self.slit_width is not None):
            raise ValueError(
                "MeasuredInstrument takes a pinhole resolution (dq) or a slit (slit_length, "
                "slit_width), not both: a point is measured through one aperture."
            )
        length = np.zeros_like(q) if self.slit_length is None else self.slit_length
        alone = (length == 0) & (0 < (0.0 if self.slit_width is None else self.slit_width))
        if np.any(alone):
            raise ValueError(
                "MeasuredInstrument slit_width needs a positive slit_length at the same point "
                f"(sasmodels' Slit1D does not handle a width alone); none at index "
                f"{int(np.flatnonzero(alone)[0])}."
            )
        if not isinstance(self.flux, Real) or isinstance(self.flux, bool) \
                or not MIN_FLUX <= self.flux <= MAX_FLUX:
            raise ValueError(
                f"MeasuredInstrument flux must be in [{MIN_FLUX:g}, {MAX_FLUX:g}]; "
                f"got {self.flux!r}."
            )
        object.__setattr__(self, "flux", float(self.flux))

    @property
    def n_points(self):
        """Number of q points."""
        return self.q.size

    @property
    def resolution(self):
        """The :class:`MeasuredResolution` to smear with, or None when ideal."""
        if self.dq is not None and np.any(self.dq > 0):
            return MeasuredResolution(dq=self.dq)
        if self.slit_length is not None and np.any(self.slit_length > 0):
            width = np.zeros_like(self.q) if self.slit_width is None else self.slit_width
            return MeasuredResolution(slit_length=self.slit_length, slit_width=width)
        return None

    def grid(self):
        """The q points of this instrument.

        Returns
        -------
        q : ndarray of shape (n_points,)
            A copy of the measured scattering vectors in 1/Angstrom.
        """
        return self.q.copy()

    def describe(self):
        """One line of ``make_saxs_1d``'s DESCR for this instrument.

        Returns
        -------
        str
            The q points, resolution and flux.
        """
        resolution = self.resolution
        return (
            f"{self.n_points} measured points from {self.q[0]:.4g} to {self.q[-1]:.4g} 1/A, "
            + ("ideal" if resolution is None else str(resolution))
            + f", flux {self.flux:g}"
        )


def _check_width(name, value, q):
    """``value`` as a read-only float64 array of one value per q (None stays None)."""
    if value is None:
        return None
    width = np.array(np.broadcast_to(check_width(name, value, q), q.shape))
    width.flags.writeable = False
    return width
