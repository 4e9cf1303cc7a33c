r"""Size polydispersity in sasmodels' convention.

Definition
----------

A size parameter :math:`x` (a radius, a length) with centre :math:`c` and
relative width ``pd`` is sampled at ``npts`` equally spaced points
:math:`x_k` over :math:`c \pm \text{nsigmas}\,\sigma`, :math:`\sigma =
\text{pd}\,c`, with weights (sasmodels' ``weights.py``)

.. math::

    w_k^\text{gaussian} = \exp\left(-\frac{(x_k - c)^2}{2\sigma^2}\right),
    \qquad
    w_k^\text{schulz} = \exp\left(z\ln z + (z - 1)\ln\frac{x_k}{c}
        - z\frac{x_k}{c} - \ln c - \ln\Gamma(z)\right),
    \quad z = (c/\sigma)^2,

keeping only :math:`x_k \ge 0` (Gaussian) or :math:`x_k \ge 10^{-8}`
(Schulz), then normalised to sum to one. The polydisperse intensity is the
weighted mean of :math:`F^2` over the weighted mean volume
(sasmodels' ``kernel.py``, ``Fq``),

.. math::

    I(q) = \text{scale} \frac{\sum_k w_k F^2(q, x_k)}{\sum_k w_k V(x_k)}
           + \text{background},

so that *scale* stays the volume fraction. :math:`V` is the model's
``form_volume`` (for the core-shell sphere, the volume inside the outer
radius).

Validation
----------

Tested against sasmodels 1.1.0 (compiled C engine, double precision) for
Gaussian and Schulz distributions of the sphere radius and of the cylinder
radius and length, ``pd`` from 0.05 to 0.3 (and once for each other model):
the weights agree exactly, and I(q) as well as each model's monodisperse
kernel does, below 4e-13 relative (3e-12 for the ellipsoid).

References
----------

.. [1] sasmodels 1.1.0, ``sasmodels/weights.py``, ``sasmodels/kernel.py``
   and ``sasmodels/direct_model.py``, https://github.com/SasView/sasmodels
.. [2] G. V. Schulz, *Z. Phys. Chem.* 43B (1939) 25-46.
"""

import inspect

import numpy as np
from scipy.special import gammaln

from . import _core_shell_sphere, _cylinder, _ellipsoid, _parallelepiped, _sphere
from ._parameters import profile_parameters

__all__ = ["dispersion_weights", "polydisperse_iq"]

KINDS = ("gaussian", "schulz")

#: Each model's ``form_volume``, the normalisation of polydisperse I(q).
FORM_VOLUMES = {
    getattr(module, module.__all__[0]): module.form_volume
    for module in (_core_shell_sphere, _cylinder, _ellipsoid, _parallelepiped, _sphere)
}


def dispersion_weights(center, width, *, kind="gaussian", npts=35, nsigmas=3.0):
    r"""Sample points and weights of a size distribution, as sasmodels.

    Reproduces ``sasmodels.weights.get_weights(kind, npts, width, nsigmas,
    center, [0, inf], relative=True)``: ``npts`` equally spaced values over
    ``center +- nsigmas * width * center``, those below the lower bound (0 for
    ``"gaussian"``, 1e-8 for ``"schulz"``) dropped, weights normalised to sum
    to one.

    Parameters
    ----------
    center : float
        Centre of the distribution (the parameter's value), positive.
    width : float
        Relative width ``pd``: the standard deviation over the centre,
        non-negative. Zero gives the single point ``center``.
    kind : {"gaussian", "schulz"}, default="gaussian"
        Distribution, named as sasmodels' ``*_pd_type``.
    npts : int, default=35
        Number of sample points before truncation, at least 1 (sasmodels'
        ``*_pd_n``); 1 gives the single point ``center``.
    nsigmas : float, default=3.0
        Half-width of the sampled range in standard deviations, positive
        (sasmodels' ``*_pd_nsigma``).

    Returns
    -------
    values : ndarray of shape (m,)
        Sampled parameter values, increasing, with ``m <= npts``.
    weights : ndarray of shape (m,)
        Their weights, summing to one.

    Raises
    ------
    ValueError
        If ``kind`` is unknown, ``center`` not finite and positive, ``width``
        negative or not finite, ``npts`` below 1 or ``nsigmas`` not positive.

    Examples
    --------
    >>> from sciml_estimators.simulators import dispersion_weights
    >>> values, weights = dispersion_weights(50.0, 0.1, npts=5, nsigmas=2)
    >>> values
    array([40., 45., 50., 55., 60.])
    >>> print(weights.round(4))
    [0.0545 0.2442 0.4026 0.2442 0.0545]
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}.")
    center, width, nsigmas = float(center), float(width), float(nsigmas)
    if not (np.isfinite(center) and center > 0):
        raise ValueError(f"center must be finite and positive; got {center!r}.")
    if not (np.isfinite(width) and width >= 0):
        raise ValueError(f"width (pd) must be finite and non-negative; got {width!r}.")
    if not (np.isfinite(nsigmas) and nsigmas > 0):
        raise ValueError(f"nsigmas must be finite and positive; got {nsigmas!r}.")
    if int(npts) != npts or npts < 1:
        raise ValueError(f"npts must be an integer of at least 1; got {npts!r}.")
    npts = int(npts)

    sigma = width * center
    if sigma == 0 or npts < 2:
        return np.array([center]), np.array([1.0])
    # The operations of sasmodels' Dispersion._linspace and _weights, in order.
    x = center + np.linspace(-nsigmas * sigma, +nsigmas * sigma, npts)
    if kind == "gaussian":
        x = x[x >= 0.0]
        px = np.exp((x - center) ** 2 / (-2.0 * sigma * sigma))
    else:
        x = x[x >= 1e-8]
        ratio = x / center
        z = (center / sigma) ** 2
        px = np.exp(
            z * np.log(z) + (z - 1) * np.log(ratio) - ratio * z - np.log(center) - gammaln(z)
        )
    return x, px / np.sum(px)


def polydisperse_iq(
    model_iq, q, parameter, *, pd, kind="gaussian", npts=35, nsigmas=3.0, **params
):
    r"""I(q) with one size parameter distributed, as sasmodels.

    Samples ``parameter`` with :func:`dispersion_weights` for every profile,
    computes all sampled particles in one batched call of ``model_iq``, and
    returns ``scale * sum(w F^2) / sum(w V) + background`` per profile, where
    ``V`` is the model's ``form_volume``. Sampled values of exactly 0
    (a Gaussian truncated at 0) are skipped: their :math:`F^2` and :math:`V`
    vanish, so the result is unchanged.

    Parameters
    ----------
    model_iq : callable
        One of :func:`sphere_iq`, :func:`parallelepiped_iq`,
        :func:`cylinder_iq`, :func:`ellipsoid_iq` or
        :func:`core_shell_sphere_iq`.
    q : array-like of shape (n_q,)
        Scattering vector magnitudes in 1/Angstrom, finite and positive.
    parameter : str
        Name of the distributed size parameter of ``model_iq``, such as
        ``"radius"`` or ``"length"``.
    pd : float
        Relative width of the distribution (sasmodels' ``*_pd``),
        non-negative.
    kind : {"gaussian", "schulz"}, default="gaussian"
        Distribution (sasmodels' ``*_pd_type``).
    npts : int, default=35
        Number of sample points (sasmodels' ``*_pd_n``), at least 1.
    nsigmas : float, default=3.0
        Half-width of the sampled range in standard deviations (sasmodels'
        ``*_pd_nsigma``).
    **params : dict of str to float or array-like of shape (n,)
        The other keyword arguments of ``model_iq``, each a scalar or one
        value per profile; those not given take the model's defaults.

    Returns
    -------
    ndarray of shape (n, n_q) or (n_q,)
        Polydisperse I(q) in 1/cm, shaped as ``model_iq``'s result: one row
        per profile, or one profile when all of ``params`` are scalars.

    Raises
    ------
    ValueError
        If ``model_iq`` is not one of the five models, ``parameter`` is not
        one of its size parameters, or a value is invalid (see
        :func:`dispersion_weights` and ``model_iq``).

    See Also
    --------
    dispersion_weights : The sampled values and weights.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import polydisperse_iq, sphere_iq
    >>> q = np.array([0.01, 0.1])
    >>> iq = polydisperse_iq(sphere_iq, q, "radius", pd=0.1, kind="schulz", radius=50.0)
    >>> print(iq.round(3))
    [1383.038    7.005]
    >>> polydisperse_iq(sphere_iq, q, "radius", pd=0.1, radius=[20.0, 50.0]).shape
    (2, 2)
    """
    form_volume = FORM_VOLUMES.get(model_iq)
    if form_volume is None:
        known = ", ".join(sorted(model.__name__ for model in FORM_VOLUMES))
        raise ValueError(f"model_iq must be one of {known}; got {model_iq!r}.")
    name = model_iq.__name__
    sizes = list(inspect.signature(form_volume).parameters)
    if parameter not in sizes:
        raise ValueError(
            f"parameter must be a size parameter of {name}, one of {', '.join(sizes)}; "
            f"got {parameter!r}."
        )
    defaults = {
        key: p.default
        for key, p in inspect.signature(model_iq).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    unknown = set(params) - set(defaults)
    if unknown:
        raise TypeError(f"{name} got unexpected keyword arguments {sorted(unknown)}.")
    q, columns, batched = profile_parameters(q, {**defaults, **params}, positive=sizes)
    columns = dict(zip(defaults, columns))

    values, weights, counts = [], [], []
    for center in columns[parameter]:
        x, w = dispersion_weights(center, pd, kind=kind, npts=npts, nsigmas=nsigmas)
        keep = x > 0
        values.append(x[keep])
        weights.append(w[keep])
        counts.append(np.count_nonzero(keep))
    counts = np.array(counts)
    weights = np.concatenate(weights)
    # Every sampled particle, with scale 1 and no background: rows are F^2 / V.
    particles = {key: np.repeat(column, counts) for key, column in columns.items()}
    particles[parameter] = np.concatenate(values)
    particles["scale"] = np.ones(weights.size)
    particles["background"] = np.zeros(weights.size)
    volume = form_volume(**{key: particles[key] for key in sizes})
    f2 = model_iq(q, **particles) * volume[:, None]

    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    sum_f2 = np.add.reduceat(weights[:, None] * f2, starts, axis=0)
    sum_volume = np.add.reduceat(weights * volume, starts)
    out = (
        columns["scale"][:, None] * sum_f2 / sum_volume[:, None]
        + columns["background"][:, None]
    )
    return out if batched else out[0]
