r"""Slit resolution smearing in sasmodels' convention (``Slit1D``).

Definition
----------

A slit camera (a Bonse-Hart USANS or a Kratky SAXS camera) integrates over a
long slit perpendicular to :math:`q` (half-length :math:`\Delta q_l`, canSAS'
``dQl``) and a short top-hat along :math:`q` (half-width :math:`\Delta q_w`,
``dQw``):

.. math::

    I_s(q_i) = \frac{1}{2 \Delta q_w \Delta q_l}
        \int_{-\Delta q_w}^{\Delta q_w} \int_0^{\Delta q_l}
        I\left(\sqrt{(q_i + q_w)^2 + q_l^2}\right) dq_l\, dq_w,

and with :math:`\Delta q_w = 0` only the inner integral,
:math:`\frac{1}{\Delta q_l}\int_0^{\Delta q_l} I(\sqrt{q_i^2 + q_l^2})\,dq_l`
(Lake, 1967). The inner integral is a mid-point rule in
:math:`u = \sqrt{q^2 - q_i^2}` over the bins of the calculation points
(edges half-way between them), the outer one an average over
:math:`2 \cdot 30 + 1` shifts :math:`q_i + k \Delta q_w / 30`. A point with
neither length nor width takes the model at :math:`q_i` itself. The
calculation points are the data extended geometrically, with the data's mean
geometric step, down to :math:`\min(q - \Delta q_w)` (:math:`0.02 \min q`
if that is negative) and up to :math:`\max\sqrt{(q + \Delta q_w)^2 + \Delta
q_l^2}`; points below :math:`0.02 \min q` are dropped (sasmodels'
``slit_extend_q``, ``geometric_extrapolation`` and ``slit_resolution``). As
in sasmodels, a width without a length is not supported.

Validation
----------

Tested against ``sasmodels.resolution.Slit1D`` (calculation points equal,
weight matrix to 3e-15) and against sasmodels 1.1.0's ``DirectModel`` on a
``Data1D`` with ``dxl`` and ``dxw`` for spheres and cylinders on NIST USANS
grids (slit length 0.117 1/Angstrom).

References
----------

.. [1] J. A. Lake, "An iterative method of slit-correcting small angle X-ray
   data", *Acta Cryst.* 23 (1967) 191-194.
.. [2] sasmodels 1.1.0, ``sasmodels/resolution.py`` (``Slit1D``,
   ``slit_resolution``), https://github.com/SasView/sasmodels
"""

import numpy as np

from ._parameters import check_q
from ._resolution import MINIMUM_ABSOLUTE_Q, bin_edges, check_width

__all__ = ["slit_smear", "slit_weights"]

N_WIDTH = 30  # sasmodels' n_length: 2 * 30 + 1 shifts across the slit width
POINTS_PER_DECADE = 10  # sasmodels' geometric_extrapolation default, for one distinct q


def _extend_geometric(q, q_min, q_max):
    """Extend sorted ``q`` to [q_min, q_max] geometrically, as ``geometric_extrapolation``."""
    if q[-1] > q[0]:
        log_step = (np.log(q[-1]) - np.log(q[0])) / (q.size - 1)
    else:
        log_step = np.log(10.0) / POINTS_PER_DECADE
    q_low = q_high = []
    if q_min < q[0]:
        if q_min <= 0:
            q_min = q[0] * MINIMUM_ABSOLUTE_Q
        n_low = int(np.ceil((np.log(q[0]) - np.log(q_min)) / log_step))
        q_low = np.logspace(np.log10(q_min), np.log10(q[0]), n_low + 1)[:-1]
    if q_max > q[-1]:
        n_high = int(np.ceil((np.log(q_max) - np.log(q[-1])) / log_step))
        q_high = np.logspace(np.log10(q[-1]), np.log10(q_max), n_high + 1)[1:]
    return np.concatenate([q_low, q, q_high])


def _length_weights(edges, q_shift, length):
    """Mid-point weights in u = sqrt(q^2 - q_shift^2) over [0, length] (``_q_perp_weights``)."""
    q_shift, length = q_shift[:, None], length[:, None]
    u_limit = np.sqrt(q_shift**2 + length**2)
    u_edges = np.broadcast_to(edges**2, (q_shift.shape[0], edges.size)) - q_shift**2
    u_edges = np.where(edges < abs(q_shift), 0.0, u_edges)
    u_edges = np.where(edges > u_limit, u_limit**2 - q_shift**2, u_edges)
    return np.diff(np.sqrt(u_edges), axis=1) / length


def slit_weights(q, slit_length, slit_width=0.0):
    r"""Calculation points and weight matrix of sasmodels' ``Slit1D``.

    Parameters
    ----------
    q : array-like of shape (n_q,)
        Measured scattering vectors in 1/Angstrom, finite and positive, at
        least two distinct values.
    slit_length : float or array-like of shape (n_q,)
        Slit half-length :math:`\Delta q_l` in 1/Angstrom (canSAS ``dQl``,
        ``Slit1D``'s ``q_length``; 0.117 on NIST's BT5 USANS), finite and
        non-negative.
    slit_width : float or array-like of shape (n_q,), default=0.0
        Slit half-width :math:`\Delta q_w` in 1/Angstrom (canSAS ``dQw``,
        ``Slit1D``'s ``q_width``), finite and non-negative; positive only
        where ``slit_length`` is.

    Returns
    -------
    q_calc : ndarray of shape (n_calc,)
        Where to evaluate the model, in 1/Angstrom (``Slit1D.q_calc``).
    weights : ndarray of shape (n_calc, n_q)
        Weight matrix (``Slit1D.weight_matrix``): the smeared profile is
        ``iq(q_calc) @ weights``.

    Raises
    ------
    ValueError
        If ``q`` is invalid or has fewer than two distinct values, if a
        length or width is negative, not finite or of the wrong shape, or
        if a point has a width but no length.

    See Also
    --------
    slit_smear : Evaluate a model and smear it.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import slit_weights
    >>> q = np.geomspace(1e-4, 1e-2, 21)
    >>> q_calc, weights = slit_weights(q, 0.117)
    >>> weights.shape
    (32, 21)
    >>> print(f"{q_calc[-1]:.4f}")  # sqrt(0.01**2 + 0.117**2)
    0.1174
    """
    q = check_q(q)
    if np.unique(q).size < 2:
        raise ValueError("q must hold at least two distinct values to define bins.")
    length = np.broadcast_to(check_width("slit_length", slit_length, q), q.shape)
    width = np.broadcast_to(check_width("slit_width", slit_width, q), q.shape)
    alone = (width > 0) & (length == 0)
    if alone.any():
        index = int(np.flatnonzero(alone)[0])
        raise ValueError(
            "slit_width needs a positive slit_length at the same point (sasmodels' Slit1D "
            f"does not handle a width alone); got slit_width {width[index]!r} and "
            f"slit_length 0 at index {index}."
        )

    q_calc = _extend_geometric(
        np.sort(q), np.min(q - width), np.max(np.sqrt((q + width) ** 2 + length**2))
    )
    q_calc = q_calc[abs(q_calc) >= MINIMUM_ABSOLUTE_Q * np.min(q)]
    edges = bin_edges(q_calc)

    weights = np.zeros((q.size, q_calc.size))
    exact = length == 0
    weights[exact] = q_calc[None, :] == q[exact, None]
    thin = ~exact & (width == 0)
    weights[thin] = _length_weights(edges, q[thin], length[thin])
    shifts = np.arange(-N_WIDTH, N_WIDTH + 1)
    for i in np.flatnonzero(~exact & ~thin):
        rows = _length_weights(
            edges, q[i] + shifts * width[i] / N_WIDTH, np.full(shifts.size, length[i])
        )
        weights[i] = rows.sum(axis=0) / shifts.size
    return abs(q_calc), weights.T


def slit_smear(iq_function, q, slit_length, slit_width=0.0, **params):
    r"""Smear a model by slit resolution, as sasmodels' ``Slit1D``.

    Evaluates ``iq_function(q_calc, **params)`` once, on the calculation
    points of :func:`slit_weights`, and applies the weight matrix. The
    background is part of the model; each column of the weights sums to
    about one, so it comes through nearly unchanged.

    Parameters
    ----------
    iq_function : callable
        ``iq_function(q, **params)`` returning I(q) of shape (n, len(q)) or
        (len(q),), such as :func:`sphere_iq`.
    q : array-like of shape (n_q,)
        Measured scattering vectors in 1/Angstrom, finite and positive.
    slit_length : float or array-like of shape (n_q,)
        Slit half-length :math:`\Delta q_l` in 1/Angstrom (canSAS ``dQl``).
    slit_width : float or array-like of shape (n_q,), default=0.0
        Slit half-width :math:`\Delta q_w` in 1/Angstrom (canSAS ``dQw``).
    **params : dict
        Keyword arguments passed to ``iq_function``.

    Returns
    -------
    ndarray of shape (n, n_q) or (n_q,)
        Smeared I(q), with the leading shape of ``iq_function``'s result.

    Raises
    ------
    ValueError
        As :func:`slit_weights`, or as ``iq_function``.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import slit_smear, sphere_iq
    >>> q = np.geomspace(1e-4, 1e-2, 5)
    >>> iq = slit_smear(sphere_iq, q, 0.117, radius=5000.0)
    >>> print(np.array2string(iq, precision=4, floatmode="fixed"))
    [5.1161e+06 3.9028e+06 7.3988e+04 9.2447e+03 2.0703e+02]
    """
    q_calc, weights = slit_weights(q, slit_length, slit_width)
    return iq_function(q_calc, **params) @ weights
