"""The SAXS-1D datasets: the paper's sphere vs parallelepiped, and more shapes."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._framework import Number, StrOptions
from .._progress import chunked_progress
from ..storage._stored_generator import stored_generator
from ._poisson_noise import FLUX
from ._saxs_guinier_radius import guinier_radius_of_gyration
from ._saxs_instruments import (
    INSTRUMENTS,
    check_instruments,
    describe_instruments,
    per_sample_grids,
    simulate_per_instrument,
)
from ._saxs_measured import MeasuredResolution
from ._saxs_nuisances import apply_nuisances, describe_nuisances, draw_nuisances
from ._saxs_shapes import (
    FIXED,
    FIXED_LENGTHS,
    LENGTH_C_RANGE,
    PD_KIND,
    RADIUS_RANGE,
    SHAPES,
    describe,
    get_shape,
    import_sasmodels,
    simulate,
)

#: The default q grid: 300 log-spaced points from 1e-3 to 0.5 1/A.
#: q_min = 1e-3 keeps the largest particles (500 A) in their Guinier region
#: (q R = 0.5); q_max = 0.5 reaches past the first minimum of the smallest
#: ones (q R = 4.49 at R = 10 A). A pinhole SAXS camera covers about this range.
DEFAULT_Q = np.geomspace(1e-3, 0.5, 300)

__all__ = [
    "DEFAULT_Q",
    "FIXED",
    "FIXED_LENGTHS",
    "LENGTH_C_RANGE",
    "RADIUS_RANGE",
    "make_saxs_1d",
]

DEFAULT_SHAPES = ("sphere", "parallelepiped")

_BATCH = 1000

_DESCR_HEAD = """\
.. _saxs_1d_dataset:

SAXS-1D: {title}
{underline}

Small-angle X-ray scattering profiles I(q), as in the SAXS-1D benchmark of
Hey et al. (2020): mono-disperse particles unless stated, equal numbers of each
shape (the first shapes get the extra ones), in random order. Target: {target}.

{shapes}
- q: {q_text}.
- polydispersity: {polydispersity}.
- resolution: {resolution}.
- engine: {engine}.
- noise: {noise}.
- level and background: {nuisances}.

The simulators' documentation follows.
"""


def _check_q(q):
    if q is None:
        return DEFAULT_Q.copy()
    q = np.asarray(q, dtype=float)
    if q.ndim != 1 or q.size < 2:
        raise ValueError(f"q must be a 1-D array of at least 2 points; got shape {q.shape}.")
    if not np.all(np.isfinite(q)) or np.any(q <= 0):
        raise ValueError("q must be finite and positive (1/Angstrom).")
    if np.any(np.diff(q) <= 0):
        raise ValueError("q must be strictly increasing.")
    return q


def _poisson_counts(intensity, q, flux, rng):
    """Counting statistics of a pinhole SAXS measurement.

    The expected counts in a q bin are ``flux * (q / q_max) * I(q)``: the
    azimuthal integration collects more pixels at larger q, so that the
    variance follows sigma^2 ~ I(q) / q as in real data (Sedlak et al. 2017).
    ``q`` and ``flux`` may also be one grid (n, n_q) and flux (n, 1) per row.
    """
    exposure = flux * q / q[..., -1:]
    counts = rng.poisson(intensity * exposure)
    return counts / exposure, np.sqrt(np.maximum(counts, 1)) / exposure


@stored_generator(
    {
        "n_samples": [Number(Integral, 2, None, closed="left")],
        "shapes": ["array-like"],
        "target": [str],
        "q": ["array-like", None],
        "polydispersity": [Number(Real, 0, None, closed="left"), None],
        "resolution": [Number(Real, 0, None, closed="left"), None],
        "engine": [StrOptions({"numba", "sasmodels"})],
        "noise": [StrOptions({"poisson"}), None],
        "flux": [FLUX],
        "instrument": [*INSTRUMENTS, list, tuple, None],
        "nuisances": [StrOptions({"measured"}), None],
        "random_state": ["random_state"],
        "return_X_y": ["boolean"],
        "progress": ["boolean"],
    }
)
def make_saxs_1d(
    n_samples=20000,
    *,
    shapes=DEFAULT_SHAPES,
    target="shape",
    q=None,
    polydispersity=None,
    resolution=None,
    engine="numba",
    noise=None,
    flux=1000.0,
    instrument=None,
    nuisances=None,
    random_state=None,
    return_X_y=False,
    progress=False,
):
    """Simulate SAXS-1D profiles: the paper's sphere vs parallelepiped, or more shapes.

    The profiles are split equally between ``shapes`` (the first shapes get
    the extra ones when ``n_samples`` is not a multiple), shuffled. Sizes are
    drawn log-uniformly; see ``DESCR`` for the ranges. The defaults give the
    paper's binary set.

    Parameters
    ----------
    n_samples : int, default=20000
        Number of profiles (the paper uses 20,000), at least ``len(shapes)``.
    shapes : sequence of str, default=("sphere", "parallelepiped")
        The particle shapes, in class order: any of ``"sphere"``,
        ``"cylinder"``, ``"ellipsoid"``, ``"parallelepiped"`` and
        ``"core_shell_sphere"``, each drawn as listed in ``DESCR``. With
        ``engine="sasmodels"`` also any sasmodels model with a ``radius``
        parameter (such as ``"hollow_cylinder"``): it keeps its sasmodels
        defaults except ``radius`` and, if it has one, ``length``, each drawn
        log-uniformly in [10, 500] Angstrom; its ``polydispersity`` spreads
        ``radius``.
    target : str, default="shape"
        ``"shape"``: the class index of each profile in ``shapes``.
        ``"radius"``: the radius of gyration of the particle in Angstrom
        (the formula of each shape is in ``DESCR``; the five built-in shapes
        only). ``"guinier_radius"``: the radius of gyration that a Guinier
        fit measures, the z-average over the size distribution (equal to
        ``"radius"`` without ``polydispersity``). Any other name: that
        parameter, which must be drawn for every shape (such as
        ``"length_c"`` with ``shapes=("parallelepiped",)``).
    q : array-like of shape (n_q,), default=None
        Strictly increasing scattering vectors in 1/Angstrom. ``None`` gives
        300 log-spaced points from 1e-3 to 0.5 1/A.
    polydispersity : float or None, default=None
        ``None`` simulates mono-disperse particles. A float is the relative
        width of a Schulz distribution (sasmodels' ``pd``, 35 points over
        +-3 sigma) of one size parameter per shape: ``radius`` (sphere,
        cylinder, core_shell_sphere), ``radius_equatorial`` (ellipsoid) or
        ``length_c`` (parallelepiped). The drawn value is the centre.
    resolution : float or None, default=None
        ``None`` gives the ideal profile. A float is the Gaussian pinhole
        resolution dq/q (one standard deviation), as sasmodels' ``Pinhole1D``.
    engine : {"numba", "sasmodels"}, default="numba"
        Compute the profiles with this package's Numba kernels, or with
        sasmodels (compiled C engine in double precision, one profile per
        call; much slower, needs ``pip install sasmodels``).
    noise : {"poisson"} or None, default=None
        ``None`` returns ideal profiles. ``"poisson"`` returns the paper's
        noise-added category: Poisson counts of the profile (background
        included) at the incident ``flux``, divided back into 1/cm.
    flux : float, default=1000.0
        Expected counts per q bin for an intensity of 1 1/cm at the largest
        q; smaller q bins collect proportionally fewer pixels (counts scale
        with q). In [1e-12, 1e12]; only used with ``noise="poisson"``.
    instrument : Instrument, MeasuredInstrument, sequence of them or None, default=None
        Replaces ``q``, ``resolution`` and ``flux`` (leave those unset). One
        ``Instrument`` acts as ``q=instrument.grid()`` with its resolution and
        flux. A ``MeasuredInstrument`` (see ``instrument_from_profile``) gives
        a measurement's exact q points, its pinhole dq per point or its slit
        (as sasmodels' ``Pinhole1D`` and ``Slit1D``) and its flux. A sequence
        (one ``n_points`` for all) draws one per profile,
        uniformly, after the sizes and class order (which match the
        single-instrument call); ``q`` then holds one grid per profile. A
        model trained on one grid takes these through ``predict(X, q=...)``,
        or :func:`~sciml_estimators.estimators.resample_profile` brings them
        onto one grid.
    nuisances : {"measured"} or None, default=None
        ``None`` gives every profile the paper's level (``scale`` 1, one
        contrast, background 0.001 /cm). ``"measured"`` draws per profile
        what a measurement sets and the particle does not, log-uniformly:
        volume fraction in [1e-3, 0.1], contrast in [0.5, 10] x 1e-6 /A^2,
        flat background in [1e-4, 0.1] /cm and, for ``noise="poisson"``, the
        counting level of ``noise="poisson"``: ``flux`` (or the instrument's)
        times a factor in [1e-3, 1e3]. A weaker-scattering sample then gives
        fewer counts, as on a real instrument; give the ``flux`` (or the
        measured instrument, whose flux ``instrument_from_profile``
        estimates) of the measurements to be matched. The sources of these ranges
        are in ``sciml_estimators.datasets._saxs_nuisances``; the drawn
        values are in ``nuisance_parameters``. The sizes, classes and
        instruments are those of the same call without nuisances.
    random_state : int, RandomState instance or None, default=None
        Seeds the sizes, the class order, the nuisances and the noise.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    progress : bool, default=False
        Show a progress bar while simulating.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (n_samples, n_q)
            Intensities I(q) in 1/cm.
        target : ndarray of shape (n_samples,)
            Class indices into ``shapes`` (int), or the regression target
            (float).
        target_names : ndarray of shape (n_classes,) or (1,)
            The shapes, or ``["radius_of_gyration"]``, or
            ``["guinier_radius_of_gyration"]``, or the parameter name.
        feature_names : list of str
            ``"I(q=...)"`` for each q.
        q : ndarray of shape (n_q,) or (n_samples, n_q)
            The scattering vectors in 1/Angstrom; one row per profile when
            ``instrument`` is a sequence.
        instrument_index : ndarray of shape (n_samples,)
            Only when ``instrument`` is a sequence: the index of each
            profile's instrument in ``instruments``, that sequence as a tuple.
        parameters : dict of ndarray of shape (n_samples,)
            The physical parameters of every profile, NaN where the shape
            has no such parameter (``radius`` is NaN for parallelepipeds).
        shape_names : ndarray of shape (n_samples,)
            The shape of every profile.
        radius_of_gyration : ndarray of shape (n_samples,)
            Radius of gyration of every (centre-size) particle in Angstrom,
            NaN for sasmodels-only shapes.
        guinier_radius_of_gyration : ndarray of shape (n_samples,)
            The z-average radius of gyration over the size distribution,
            ``sqrt(sum(w F(0)^2 Rg^2) / sum(w F(0)^2))``: the one the low-q
            slope of ln I(q) against q^2 gives (see
            ``_saxs_guinier_radius``); ``radius_of_gyration`` when
            monodisperse, NaN for sasmodels-only shapes.
        uncertainty : ndarray of shape (n_samples, n_q)
            Only with ``noise="poisson"``: the counting error of ``data``.
        nuisance_parameters : dict of ndarray of shape (n_samples,)
            Only with ``nuisances="measured"``: each profile's
            ``volume_fraction``, ``contrast``, ``background`` and ``flux``.
        DESCR : str
            Description of the set and of the simulators.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    ValueError
        If a shape is unknown or repeated, if there are fewer samples than
        shapes, if ``target`` is not available for every shape, if
        ``instrument`` is given with ``q``, ``resolution`` or ``flux``, or
        holds instruments of different ``n_points``.
    ImportError
        If ``engine="sasmodels"`` and sasmodels is not installed.

    Examples
    --------
    >>> from sciml_estimators.datasets import make_saxs_1d
    >>> saxs = make_saxs_1d(10, random_state=0)
    >>> saxs.data.shape, saxs.target.tolist()
    ((10, 300), [1, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    >>> five = make_saxs_1d(
    ...     10, shapes=["sphere", "cylinder", "ellipsoid", "parallelepiped",
    ...                 "core_shell_sphere"], random_state=0)
    >>> sorted(five.target.tolist())
    [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    >>> make_saxs_1d(4, target="radius", random_state=0).target_names
    array(['radius_of_gyration'], dtype='<U18')
    """
    rng = check_random_state(random_state)
    instruments = check_instruments(instrument, q, resolution, flux, default_flux=1000.0)
    if isinstance(instrument, INSTRUMENTS):
        q, resolution, flux = instrument.grid(), instrument.resolution, instrument.flux
        instruments = None
    q = _check_q(q)
    shapes = [str(name) for name in np.asarray(shapes, dtype=object).ravel()]
    if engine == "sasmodels":
        import_sasmodels()
    shapes = _check_shapes(shapes, engine, n_samples)
    _check_target(target, shapes)

    n_classes = len(shapes)
    counts = [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]
    drawn = [shape.draw(n, rng) for shape, n in zip(shapes, counts)]

    # The kernels draw nothing, so drawing the order before simulating keeps the stream.
    order = rng.permutation(n_samples)
    options = {"polydispersity": polydispersity, "resolution": resolution, "engine": engine}
    with chunked_progress(n_samples, "simulating SAXS profiles", progress) as bar:
        if instruments is None:
            data = _simulate_on_grid(shapes, drawn, counts, q, options, bar)
        else:
            index = rng.randint(len(instruments), size=n_samples)
            unshuffled = np.empty_like(index)
            unshuffled[order] = index
            data = simulate_per_instrument(
                shapes, drawn, counts, instruments, unshuffled,
                {"polydispersity": polydispersity, "engine": engine}, bar, _BATCH,
            )

    classes = np.repeat(np.arange(n_classes), counts)
    parameters = _collect(shapes, drawn, counts)
    rg = np.concatenate([
        shape.rg(params) * np.ones(n) if shape.rg else np.full(n, np.nan)
        for shape, params, n in zip(shapes, drawn, counts)
    ])
    guinier_rg = np.concatenate([
        guinier_radius_of_gyration(shape, params, n, polydispersity) if shape.rg
        else np.full(n, np.nan)
        for shape, params, n in zip(shapes, drawn, counts)
    ])
    names = np.array([shape.name for shape in shapes])

    data, classes, rg, guinier_rg = data[order], classes[order], rg[order], guinier_rg[order]
    parameters = {name: values[order] for name, values in parameters.items()}
    extra = {}
    if instruments is not None:
        q, flux = per_sample_grids(instruments, index)
        extra.update(instrument_index=index, instruments=instruments)
    if nuisances == "measured":
        drawn_nuisances = draw_nuisances(n_samples, rng)
        data = apply_nuisances(data, drawn_nuisances)
        flux = drawn_nuisances.pop("flux_factor")[:, None] * flux
        extra["nuisance_parameters"] = {**drawn_nuisances, "flux": flux[:, 0]}
    if noise == "poisson":
        data, extra["uncertainty"] = _poisson_counts(data, q, flux, rng)

    if target == "shape":
        y, target_names = classes, names.copy()
    elif target == "radius":
        y, target_names = rg.copy(), np.array(["radius_of_gyration"])
    elif target == "guinier_radius":
        y, target_names = guinier_rg.copy(), np.array(["guinier_radius_of_gyration"])
    else:
        y, target_names = parameters[target].copy(), np.array([target])
    if return_X_y:
        return data, y
    return Bunch(
        data=data,
        target=y,
        target_names=target_names,
        feature_names=(
            [f"I(q={value:.4g})" for value in q] if q.ndim == 1
            else [f"I(q[{j}])" for j in range(q.shape[1])]
        ),
        q=q,
        parameters=parameters,
        shape_names=names[classes],
        radius_of_gyration=rg,
        guinier_radius_of_gyration=guinier_rg,
        DESCR=_describe(shapes, target, q, noise, flux, instruments, nuisances, **options),
        **extra,
    )


def _simulate_on_grid(shapes, drawn, counts, q, options, bar):
    """Profiles of every (unshuffled) row on one grid ``q``, in batches per shape."""
    data = np.empty((sum(counts), q.size))
    row = 0
    for shape, params, n in zip(shapes, drawn, counts):
        for start in range(0, n, _BATCH):
            stop = min(start + _BATCH, n)
            batch = {
                key: (value[start:stop] if np.ndim(value) else value)
                for key, value in params.items()
            }
            data[row : row + stop - start] = simulate(shape, q, batch, stop - start, **options)
            row += stop - start
            bar.update(stop - start)
    return data


def _check_shapes(names, engine, n_samples):
    if not names:
        raise ValueError(f"shapes must name at least one shape, from {', '.join(SHAPES)}.")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"shapes must not repeat a shape; got {', '.join(repeated)} twice.")
    if n_samples < len(names):
        raise ValueError(
            f"n_samples ({n_samples}) must be at least the number of shapes ({len(names)})."
        )
    return [get_shape(name, engine) for name in names]


def _check_target(target, shapes):
    if target == "shape":
        return
    if target in ("radius", "guinier_radius"):
        missing = [shape.name for shape in shapes if shape.rg is None]
        if missing:
            raise ValueError(
                f"target={target!r} (radius of gyration) is known only for the shapes "
                f"{', '.join(SHAPES)}; not for {', '.join(missing)}."
            )
        return
    lacking = [shape.name for shape in shapes if target not in shape.drawn]
    if lacking:
        common = set.intersection(*(set(shape.drawn) for shape in shapes)) - {"radius"}
        raise ValueError(
            "target must be 'shape', 'radius' (radius of gyration), 'guinier_radius' "
            "(its z-average) or a parameter drawn "
            f"for every shape; {target!r} is not drawn for {', '.join(lacking)}. "
            f"Drawn for every shape: {', '.join(sorted(common)) or 'none'}."
        )


def _collect(shapes, drawn, counts):
    """Per-sample parameter columns, NaN where a shape lacks the parameter."""
    sizes = [key for shape in shapes for key in shape.sizes]
    keys = list(dict.fromkeys(sizes + [k for params in drawn for k in params]))
    parameters = {}
    for key in keys:
        parameters[key] = np.concatenate([
            np.broadcast_to(np.asarray(params[key], dtype=float), (n,))
            if key in params else np.full(n, np.nan)
            for params, n in zip(drawn, counts)
        ])
    return parameters


def _describe(shapes, target, q, noise, flux, instruments, nuisances, *, polydispersity,
              resolution, engine):
    names = [shape.name for shape in shapes]
    title = " vs ".join(names) if len(names) > 1 else names[0]
    if target == "shape":
        target = "the shape (class index)"
    elif target == "radius":
        target = "the radius of gyration in A (regression)"
    elif target == "guinier_radius":
        target = "the z-average radius of gyration in A, as a Guinier fit measures it (regression)"
    else:
        target = f"{target} (regression)"
    head = _DESCR_HEAD.format(
        title=title,
        underline="-" * (len(title) + 9),
        target=target,
        shapes="\n".join(describe(shape) for shape in shapes),
        q_text=(
            f"{q.size} points from {q[0]:.4g} to {q[-1]:.4g} 1/A" if instruments is None
            else describe_instruments(instruments)
        ),
        polydispersity=(
            "none" if polydispersity is None
            else f"{PD_KIND} of relative width {polydispersity:g}"
        ),
        resolution=(
            "per instrument" if instruments is not None
            else "ideal" if resolution is None
            else str(resolution) if isinstance(resolution, MeasuredResolution)
            else f"pinhole, dq/q = {resolution:g}"
        ),
        engine=engine,
        noise=(
            "ideal" if noise is None else "Poisson counts at each profile's drawn flux"
            if nuisances is not None else "Poisson counts at each instrument's flux"
            if instruments is not None else f"Poisson counts at flux {flux:g}"
        ),
        nuisances=(
            "the paper's (scale 1, contrast 3e-6 /A^2, background 0.001 /cm)"
            if nuisances is None else describe_nuisances()
        ),
    )
    docs = [shape.module.__doc__ for shape in shapes if shape.module is not None]
    return head + "\n" + "\n".join(docs)
