"""The instrument of a loaded profile, its counting level read from the uncertainties."""

import dataclasses
from collections.abc import Mapping

import numpy as np

from .._framework import validate_params
from ._poisson_noise import FLUX, MAX_FLUX, MIN_FLUX
from ._saxs_measured import DEFAULT_FLUX, MeasuredInstrument

__all__ = ["instrument_from_profile"]

_ARRAYS = ("intensity", "uncertainty", "dq", "slit_length", "slit_width")


def _profile_array(profile, key):
    value = profile.get(key)
    return None if value is None else np.asarray(value, dtype=np.float64)


def estimate_flux(q, intensity, uncertainty):
    r"""The flux under which ``make_saxs_1d``'s Poisson noise gives these uncertainties.

    ``make_saxs_1d`` counts :math:`N_i \sim \mathrm{Poisson}(I_i t_i)` with
    the exposure :math:`t_i = F q_i / q_\text{max}` and returns
    :math:`N_i / t_i \pm \sqrt{N_i} / t_i`, so that
    :math:`t_i = I_i / \Delta I_i^2` and
    :math:`F_i = I_i q_\text{max} / (q_i \Delta I_i^2)` at every point. The
    estimate is the median of :math:`F_i` over the points with finite,
    positive :math:`I_i` and :math:`\Delta I_i` (robust to a few points of
    other statistics); for a profile of ``make_saxs_1d`` it is exact.
    """
    usable = np.isfinite(intensity) & np.isfinite(uncertainty) & (intensity > 0) \
        & (uncertainty > 0)
    if not usable.any():
        raise ValueError(
            "instrument_from_profile cannot estimate the flux: no point has a finite positive "
            "intensity and uncertainty. Pass flux= explicitly."
        )
    per_point = intensity[usable] * q[-1] / (q[usable] * uncertainty[usable] ** 2)
    flux = float(np.median(per_point))
    if not MIN_FLUX <= flux <= MAX_FLUX:
        raise ValueError(
            f"instrument_from_profile estimated a flux of {flux:g} from the uncertainties, "
            f"outside make_saxs_1d's range [{MIN_FLUX:g}, {MAX_FLUX:g}]. Pass flux= explicitly."
        )
    return flux


@validate_params(
    {"profile": [Mapping], "flux": [FLUX, None]},
    prefer_skip_nested_validation=True,
)
def instrument_from_profile(profile, *, flux=None):
    r"""The instrument of a measured profile, to simulate profiles as it was measured.

    ``make_saxs_1d(instrument=instrument_from_profile(profile))`` simulates
    on exactly the profile's q points, smeared by its own resolution: the
    pinhole ``dq`` per point (as sasmodels' ``Pinhole1D``) or the slit
    ``slit_length`` and ``slit_width`` (as ``Slit1D``), ideal when the
    profile has neither.

    Parameters
    ----------
    profile : dict-like
        A loaded profile, such as the Bunch of
        :func:`~sciml_estimators.datasets.load_saxs_profile`: ``q`` (1/A,
        strictly increasing) and ``intensity`` (1/cm), and optionally
        ``uncertainty`` (1/cm), ``dq`` (pinhole resolution, one standard
        deviation, 1/A), ``slit_length`` and ``slit_width`` (canSAS ``dQl``
        and ``dQw``, 1/A): arrays of one value per q, or None.
    flux : float or None, default=None
        The counting flux for ``noise="poisson"`` (see ``make_saxs_1d``), in
        [1e-12, 1e12]. None estimates it from the uncertainties under
        ``make_saxs_1d``'s Poisson model: the counts of point :math:`i` are
        :math:`I_i / \Delta I_i^2` and its exposure
        :math:`F q_i / q_\text{max}`, so
        :math:`F = \operatorname{median}_i I_i q_\text{max} / (q_i \Delta I_i^2)`
        over the points with positive intensity and uncertainty. A profile
        without uncertainties gets make_saxs_1d's default, 1000.

    Returns
    -------
    MeasuredInstrument
        The profile's q points, resolution and flux.

    Raises
    ------
    ValueError
        If ``q`` or ``intensity`` is missing, if an array has not one value
        per q, if ``q`` is not strictly increasing or a resolution is
        negative, if the profile has both a pinhole ``dq`` and a slit, or if
        the estimated flux is out of range (pass ``flux``).

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.datasets import instrument_from_profile, make_saxs_1d
    >>> q = np.geomspace(0.005, 0.3, 40)
    >>> profile = {"q": q, "intensity": 1.0 / q, "uncertainty": np.sqrt(0.3 / 500) / q,
    ...            "dq": 0.002 + 0.02 * q}
    >>> instrument = instrument_from_profile(profile)
    >>> print(f"{instrument.flux:.6g}")
    500
    >>> make_saxs_1d(4, instrument=instrument, noise="poisson", random_state=0).data.shape
    (4, 40)
    """
    missing = [key for key in ("q", "intensity") if profile.get(key) is None]
    if missing:
        raise ValueError(
            f"profile has no {' or '.join(map(repr, missing))}; expected a loaded profile "
            "with 'q' (1/A) and 'intensity', such as load_saxs_profile's Bunch."
        )
    q = _profile_array(profile, "q")
    arrays = {key: _profile_array(profile, key) for key in _ARRAYS}
    for key, value in arrays.items():
        if value is not None and value.shape != q.shape:
            raise ValueError(
                f"profile[{key!r}] must have one value per q point: shape {q.shape} as "
                f"profile['q']; got shape {value.shape}."
            )
    instrument = MeasuredInstrument(
        q, dq=arrays["dq"], slit_length=arrays["slit_length"], slit_width=arrays["slit_width"]
    )
    if flux is None and arrays["uncertainty"] is not None:
        flux = estimate_flux(instrument.q, arrays["intensity"], arrays["uncertainty"])
    return dataclasses.replace(instrument, flux=DEFAULT_FLUX if flux is None else flux)
