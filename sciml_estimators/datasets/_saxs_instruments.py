"""SAXS instruments: the q grid, resolution and flux of a measurement, varied per sample.

An :class:`Instrument` describes what :func:`make_saxs_1d` otherwise takes as
``q=``, ``resolution=`` and ``flux=``: the q range, its number of points and
spacing, the pinhole resolution and the counts. ``make_saxs_1d(instrument=...)``
takes one instrument (every profile measured on it) or a sequence of them (one
drawn uniformly per profile), each an ``Instrument`` or a
:class:`~._saxs_measured.MeasuredInstrument` (a measurement's exact q points
and per-point resolution). The helpers below are the per-instrument parts of
``make_saxs_1d``.
"""

import dataclasses
import math
from numbers import Integral, Real

import numpy as np

from ._poisson_noise import MAX_FLUX, MIN_FLUX
from ._saxs_measured import MeasuredInstrument
from ._saxs_shapes import simulate

__all__ = ["Instrument"]

_SPACINGS = ("log", "linear")


@dataclasses.dataclass(frozen=True)
class Instrument:
    """A SAXS instrument: q grid, pinhole resolution and counting flux.

    The defaults are the SAXS-1D set's instrument: 300 log-spaced q from
    0.001 to 0.5 1/A, ideal resolution, flux 1000.

    Parameters
    ----------
    q_min : float, default=1e-3
        Smallest scattering vector in 1/Angstrom, positive.
    q_max : float, default=0.5
        Largest scattering vector in 1/Angstrom, above ``q_min``.
    n_points : int, default=300
        Number of q points, at least 2.
    spacing : {"log", "linear"}, default="log"
        Geometric (``np.geomspace``) or even (``np.linspace``) spacing.
    resolution : float or None, default=None
        Gaussian pinhole resolution dq/q (one standard deviation), as
        ``make_saxs_1d``'s ``resolution``; ``None`` is ideal.
    flux : float, default=1000.0
        Expected counts per q bin for an intensity of 1 1/cm at ``q_max``, as
        ``make_saxs_1d``'s ``flux`` (used with ``noise="poisson"``), in [1e-12, 1e12].

    Raises
    ------
    ValueError
        If a field is out of range: ``q_min`` and ``q_max`` must be finite
        and positive with ``q_min < q_max``, ``n_points`` an integer of at
        least 2, ``spacing`` ``"log"`` or ``"linear"``, ``resolution`` None
        or finite and non-negative, ``flux`` in [1e-12, 1e12].

    Examples
    --------
    >>> from sciml_estimators.datasets._saxs_instruments import Instrument
    >>> Instrument(0.01, 0.3, 4, spacing="linear").grid()
    array([0.01      , 0.10666667, 0.20333333, 0.3       ])
    """

    q_min: float = 1e-3
    q_max: float = 0.5
    n_points: int = 300
    spacing: str = "log"
    resolution: float | None = None
    flux: float = 1000.0

    def __post_init__(self):
        for name in ("q_min", "q_max"):
            value = getattr(self, name)
            if not _is_real(value) or not math.isfinite(value) or value <= 0:
                raise ValueError(
                    f"Instrument {name} must be a finite positive number (1/Angstrom); "
                    f"got {value!r}."
                )
        if not self.q_min < self.q_max:
            raise ValueError(
                f"Instrument q_min must be smaller than q_max; got q_min={self.q_min!r}, "
                f"q_max={self.q_max!r}."
            )
        if not isinstance(self.n_points, Integral) or isinstance(self.n_points, bool) \
                or self.n_points < 2:
            raise ValueError(
                f"Instrument n_points must be an integer of at least 2; got {self.n_points!r}."
            )
        if self.spacing not in _SPACINGS:
            raise ValueError(
                f"Instrument spacing must be 'log' or 'linear'; got {self.spacing!r}."
            )
        if self.resolution is not None and (
            not _is_real(self.resolution) or not math.isfinite(self.resolution)
            or self.resolution < 0
        ):
            raise ValueError(
                "Instrument resolution must be None (ideal) or a finite dq/q >= 0; "
                f"got {self.resolution!r}."
            )
        if not _is_real(self.flux) or not MIN_FLUX <= self.flux <= MAX_FLUX:
            raise ValueError(
                f"Instrument flux must be in [{MIN_FLUX:g}, {MAX_FLUX:g}]; got {self.flux!r}."
            )
        object.__setattr__(self, "q_min", float(self.q_min))
        object.__setattr__(self, "q_max", float(self.q_max))
        object.__setattr__(self, "n_points", int(self.n_points))
        if self.resolution is not None:
            object.__setattr__(self, "resolution", float(self.resolution))
        object.__setattr__(self, "flux", float(self.flux))

    def grid(self):
        """The q points of this instrument.

        Returns
        -------
        q : ndarray of shape (n_points,)
            Strictly increasing scattering vectors in 1/Angstrom, from
            ``q_min`` to ``q_max``.
        """
        space = np.geomspace if self.spacing == "log" else np.linspace
        return space(self.q_min, self.q_max, self.n_points)

    def describe(self):
        """One line of ``make_saxs_1d``'s DESCR for this instrument.

        Returns
        -------
        str
            The grid, resolution and flux.
        """
        return (
            f"{self.n_points} {self.spacing}-spaced points from {self.q_min:.4g} to "
            f"{self.q_max:.4g} 1/A, "
            + ("ideal" if self.resolution is None else f"pinhole dq/q = {self.resolution:g}")
            + f", flux {self.flux:g}"
        )


#: What ``make_saxs_1d(instrument=...)`` takes, alone or in a sequence.
INSTRUMENTS = (Instrument, MeasuredInstrument)


def _is_real(value):
    return isinstance(value, Real) and not isinstance(value, bool)


def check_instruments(instrument, q, resolution, flux, default_flux):
    """``instrument`` as a tuple of instruments (None stays None).

    Also refuses ``q``, ``resolution`` or a non-default ``flux`` beside an
    instrument, which would be silently overridden.
    """
    if instrument is None:
        return None
    given = [
        name for name, unset in
        (("q", q is None), ("resolution", resolution is None), ("flux", flux == default_flux))
        if not unset
    ]
    if given:
        raise ValueError(
            f"{', '.join(given)} cannot be given with instrument=; the instrument sets the "
            "q grid, resolution and flux."
        )
    instruments = (instrument,) if isinstance(instrument, INSTRUMENTS) else tuple(instrument)
    if not instruments:
        raise ValueError(
            "instrument must be an Instrument, a MeasuredInstrument or a non-empty sequence "
            "of them."
        )
    wrong = [type(item).__name__ for item in instruments if not isinstance(item, INSTRUMENTS)]
    if wrong:
        raise ValueError(
            "instrument must be an Instrument, a MeasuredInstrument or a sequence of Instrument "
            f"or MeasuredInstrument; got {', '.join(sorted(set(wrong)))} in the sequence."
        )
    sizes = sorted({item.n_points for item in instruments})
    if len(sizes) > 1:
        raise ValueError(
            "All instruments in the sequence must have the same n_points (the profiles form "
            f"one (n_samples, n_points) array); got n_points {', '.join(map(str, sizes))}. "
            "Simulate each size separately, or resample onto one grid with resample_profile."
        )
    return instruments


def simulate_per_instrument(shapes, drawn, counts, instruments, index, options, bar, batch):
    """Profiles of every (unshuffled) row on the grid of its instrument ``index[row]``.

    ``options`` holds ``polydispersity`` and ``engine``; the resolution is the
    instrument's. Rows are simulated in batches of at most ``batch`` per shape
    and instrument.
    """
    n_samples = index.size
    data = np.empty((n_samples, instruments[0].n_points))
    offset = 0
    for shape, params, n in zip(shapes, drawn, counts):
        for k, instrument in enumerate(instruments):
            local = np.flatnonzero(index[offset : offset + n] == k)
            q = instrument.grid()
            for start in range(0, local.size, batch):
                rows = local[start : start + batch]
                subset = {
                    key: (value[rows] if np.ndim(value) else value)
                    for key, value in params.items()
                }
                data[offset + rows] = simulate(
                    shape, q, subset, rows.size, resolution=instrument.resolution, **options
                )
                bar.update(rows.size)
        offset += n
    return data


def per_sample_grids(instruments, index):
    """The q grid (n_samples, n_points) and flux (n_samples, 1) of every row."""
    grids = np.stack([item.grid() for item in instruments])
    fluxes = np.array([[item.flux] for item in instruments])
    return grids[index], fluxes[index]


def describe_instruments(instruments):
    """The DESCR lines for ``q`` and ``resolution`` when instruments vary per sample."""
    lines = [f"  {k}: {item.describe()}" for k, item in enumerate(instruments)]
    return (
        f"one of {len(instruments)} instruments per sample, drawn uniformly "
        "(``instrument_index``; ``q`` holds each sample's grid):\n" + "\n".join(lines)
    )
