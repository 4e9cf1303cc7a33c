"""Rows of a profile file that are not one measurement of I(q) each: q = 0, and a q given twice.

- A row at q = 0 exactly is the beam centre (the direct beam, or a
  placeholder that a model export writes before its first q), not a
  scattering vector at which I(q) was measured; its intensity is often
  undefined (``-1.#IND``). Such rows are dropped, with a warning naming them,
  as sasdata's readers drop them (silently). A negative q stays an error.
- A q given on two consecutive rows is one q measured twice, typically
  where the ranges of two instrument configurations are stitched together
  (sasdata's ``latex_smeared.xml``: the same Q with the resolution of each
  configuration). The rows are merged into one point, the inverse-variance
  weighted mean of the intensities (equal weights without uncertainties) with
  its standard error; each resolution width becomes the weighted root mean
  square of the widths, so the merged point's resolution function (the
  weighted mixture of the rows', all centred on that q) keeps its variance,
  both for a Gaussian pinhole (variance dQ^2) and for a slit (uniform over
  +-dQl, variance dQl^2/3). Keeping both rows, as sasdata does, would give a
  profile whose q is not strictly increasing, which no simulation grid
  (``MeasuredInstrument``) nor interpolation accepts; refusing the file would
  leave a valid measurement unreadable.
"""

import dataclasses
import warnings

import numpy as np

from ..exceptions import SciMLEstimatorsWarning

_WIDTHS = ("dq", "slit_length", "slit_width")


def _listed(where, limit=5):
    return ", ".join(where[:limit]) + (f" and {len(where) - limit} more" if len(where) > limit
                                      else "")


def _take(raw, keep, where, metadata):
    """``raw`` with only the points ``keep`` (indices or a mask), ``where`` and ``metadata``."""
    arrays = {name: getattr(raw, name)[keep] for name in
              ("q", "intensity", "uncertainty", *_WIDTHS) if getattr(raw, name) is not None}
    per_point = {key: np.asarray(raw.metadata[key])[keep] for key in raw.point_metadata}
    return dataclasses.replace(raw, **arrays, where=where,
                               metadata={**raw.metadata, **metadata, **per_point})


def drop_beam_centre(raw, path):
    """``raw`` without its rows at q = 0 exactly, with a warning naming them.

    Their values (NaN intensity included) are not checked. The dropped rows'
    locations are kept in ``metadata["dropped_q_zero"]`` (empty when none).
    """
    zero = raw.q == 0
    dropped = [raw.where[i] for i in np.flatnonzero(zero)]
    if dropped:
        warnings.warn(
            f"{path}: dropped {len(dropped)} row(s) at q = 0 ({_listed(dropped)}): the beam "
            "centre, not a measurement of I(q) at a scattering vector; listed in "
            "metadata['dropped_q_zero'].",
            SciMLEstimatorsWarning, stacklevel=4,
        )
    where = [w for w, z in zip(raw.where, zero) if not z]
    return _take(raw, ~zero, where, {"dropped_q_zero": dropped})


def _weights(raw, rows):
    sigma = None if raw.uncertainty is None else raw.uncertainty[rows]
    if sigma is not None and np.all(sigma > 0):
        return 1.0 / sigma**2, True
    return np.ones(len(rows)), False


def merge_repeated_q(raw, path):
    """``raw`` with each run of equal consecutive q merged into one point, with a warning.

    ``raw.q`` must already be checked increasing. The merged rows'
    locations are kept in ``metadata["merged_repeated_q"]``, one list per
    merged point (empty when none).
    """
    starts = np.flatnonzero(np.r_[True, np.diff(raw.q) > 0])
    groups = np.split(np.arange(raw.q.size), starts[1:])
    repeated = [rows for rows in groups if rows.size > 1]
    merged = [[raw.where[i] for i in rows] for rows in repeated]
    if not repeated:
        return dataclasses.replace(raw, metadata={**raw.metadata, "merged_repeated_q": []})
    raw = _take(raw, np.arange(raw.q.size), raw.where, {})  # copies: merged in place
    for rows in repeated:
        weight, inverse_variance = _weights(raw, rows)
        total, first = weight.sum(), rows[0]
        raw.intensity[first] = weight @ raw.intensity[rows] / total
        if raw.uncertainty is not None:
            raw.uncertainty[first] = (1.0 / np.sqrt(total) if inverse_variance
                                      else np.sqrt(np.sum(raw.uncertainty[rows] ** 2)) / rows.size)
        for name in _WIDTHS:
            values = getattr(raw, name)
            if values is not None:
                values[first] = np.sqrt(weight @ values[rows] ** 2 / total)
        for key in raw.point_metadata:
            raw.metadata[key][first] = weight @ raw.metadata[key][rows] / total
    labels = [" + ".join(rows) for rows in merged]
    warnings.warn(
        f"{path}: merged {len(merged)} q value(s) given on several rows ({_listed(labels)}) "
        "into one point each: the inverse-variance weighted mean intensity and the weighted "
        "rms resolution (two measurements of one q, as where two configurations are "
        "stitched); listed in metadata['merged_repeated_q'].",
        SciMLEstimatorsWarning, stacklevel=4,
    )
    where = [" + ".join(raw.where[i] for i in rows) for rows in groups]
    return _take(raw, starts, where, {"merged_repeated_q": merged})
