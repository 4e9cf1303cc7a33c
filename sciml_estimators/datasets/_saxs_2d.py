"""SAXS-2D: classify particle shapes from oriented detector images I(qx, qy)."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._framework import Number, StrOptions
from .._progress import chunked_progress
from ..simulators import _oriented, oriented_iq
from ..storage._stored_generator import stored_generator
from ._poisson_noise import FLUX
from ._saxs_shapes import import_sasmodels, sasmodels_model, sasmodels_scalars

#: Shapes the set can draw, in the order of their default class indices.
KNOWN_SHAPES = ("sphere", "cylinder", "ellipsoid", "parallelepiped", "core_shell_sphere")

#: Size range in units of the detector, for a "radius-like" size r (a radius,
#: or half a side or length): r is log-uniform in
#: [FIRST_ZERO / q_max, pi / (2 dq)], dq = 2 q_max / min(H, W) the pixel
#: pitch. The lower end puts the first zero of a sphere's amplitude
#: (q r = 4.493) on the detector, so every particle shows at least one fringe;
#: the upper end keeps the fringe period pi / r at two pixels or more
#: (Nyquist), so the image is not aliased. For the default 128 x 128 pixels
#: to q_max = 0.3 /A that is 15 to 335 A: the 1-D set's 10 to 500 A, scaled
#: to a detector that spans a q range of 64 (H/2) rather than 500.
FIRST_ZERO = 4.493
#: core_shell_sphere: outer radius r as above, shell thickness a uniform
#: fraction of it.
SHELL_FRACTION_RANGE = (0.1, 0.5)

#: Contrast shared by every shape, as in the 1-D set: only shape, size and
#: orientation tell the classes apart.
FIXED = {"sld": 4.0, "sld_solvent": 1.0, "scale": 1.0, "background": 0.001}
FIXED_CORE_SHELL = {"sld_core": 2.5, "sld_shell": 4.0, "sld_solvent": 1.0, "scale": 1.0,
                    "background": 0.001}
#: "aligned": every particle's c axis along qx, and psi = 0.
ALIGNED = {"theta": 90.0, "phi": 0.0, "psi": 0.0}

_BATCH = 256

_DESCR_HEAD = """\
.. _saxs_2d_dataset:

SAXS-2D: particle shape from oriented detector images
-----------------------------------------------------

Classification of simulated small-angle scattering detector images
I(qx, qy) in 1/cm, one mono-disperse, oriented particle species per image.
Classes: {classes}, equal numbers (earlier classes get the remainder),
shuffled.

- detector: {h} x {w} pixels, pixel centres on a square grid from
  -{q_max:g} to {q_max:g} 1/A (qy along rows, qx along columns).
- sizes: radius-like sizes r log-uniform in [{r0:.4g}, {r1:.4g}] A: sphere
  and cylinder radius, ellipsoid polar and equatorial radii (each drawn),
  cylinder length and parallelepiped sides 2r (each drawn),
  core_shell_sphere outer radius r with a shell of {f0:g} to {f1:g} r.
- contrast: sld = {sld:g}, sld_solvent = {sld_solvent:g} (1e-6/A^2);
  core_shell_sphere sld_core = {sld_core:g}, sld_shell = {sld_shell:g};
  scale = {scale:g}, background = {background:g} 1/cm.
{sasmodels_shapes}- orientation: {orientation}.
- engine: {engine}.
- noise: {noise}.

The simulator's documentation follows.
"""


def detector_axis(n_pixels, q_max):
    """Return the ``n_pixels`` pixel centres of an axis from -q_max to q_max."""
    edges = np.linspace(-q_max, q_max, n_pixels + 1)
    return 0.5 * (edges[:-1] + edges[1:])


def size_range(shape, q_max):
    """Return the (low, high) radius-like size in Angstrom for a detector."""
    pitch = 2.0 * q_max / min(shape)
    return FIRST_ZERO / q_max, np.pi / (2.0 * pitch)


def _check_shapes(shapes, engine):
    shapes = [shapes] if isinstance(shapes, str) else list(shapes)
    unknown = [s for s in shapes if s not in KNOWN_SHAPES]
    if unknown and engine == "numba":
        raise ValueError(
            f"Unknown shape(s) {unknown}; known shapes are {list(KNOWN_SHAPES)} "
            "(engine='sasmodels' also takes any sasmodels model with a 'radius')."
        )
    if not shapes or len(set(shapes)) != len(shapes):
        raise ValueError(f"shapes must be non-empty and without repeats; got {shapes}.")
    return shapes, {name: _sasmodels_shape(name) for name in unknown}


def _sasmodels_shape(name):
    """Return (defaults, angles) of a shape that only sasmodels computes.

    ``defaults``: the model's scalar shape parameters and scale and
    background, at sasmodels' defaults; ``angles``: its orientation angles.
    """
    info, scalars = sasmodels_scalars(name)
    angles = tuple(p.name for p in info.parameters.kernel_parameters if p.type == "orientation")
    if not set(angles) <= set(ALIGNED):
        raise ValueError(
            f"sasmodels model {name!r} has orientation parameters {list(angles)}; "
            f"make_saxs_2d takes models oriented by {list(ALIGNED)} or isotropic ones."
        )
    common = {p.name: float(p.default) for p in info.parameters.common_parameters}
    return {**scalars, **common}, angles


def _check_image_shape(shape):
    shape = tuple(np.atleast_1d(np.asarray(shape)).tolist())
    if len(shape) == 1:
        shape = shape * 2
    if len(shape) != 2 or not all(isinstance(n, int) and n >= 2 for n in shape):
        raise ValueError(f"shape must be (H, W) with integers >= 2; got {shape}.")
    return shape


def _draw(shape, n, sizes, orientation, rng, model=None):
    """Draw the parameters and view angles of ``n`` particles of ``shape``.

    ``model``: (defaults, angles) of a sasmodels-only shape, else None.
    """
    low, high = np.log(sizes)

    def r():
        return np.exp(rng.uniform(low, high, n))

    if model is not None:
        defaults, used = model
        params = {"radius": r()}
        if "length" in defaults:
            params["length"] = 2.0 * r()
        params.update({key: v for key, v in defaults.items() if key not in params})
    elif shape == "sphere":
        params = {"radius": r()}
    elif shape == "cylinder":
        params = {"radius": r(), "length": 2.0 * r()}
    elif shape == "ellipsoid":
        params = {"radius_polar": r(), "radius_equatorial": r()}
    elif shape == "parallelepiped":
        params = {f"length_{x}": 2.0 * r() for x in "abc"}
    else:
        outer = r()
        thickness = outer * rng.uniform(*SHELL_FRACTION_RANGE, n)
        params = {"radius": outer - thickness, "thickness": thickness}
    if model is None:
        params.update(FIXED_CORE_SHELL if shape == "core_shell_sphere" else FIXED)
        used = _oriented.SHAPES[shape][1]
    if orientation == "random":
        # Uniform on the sphere: cos(theta) uniform; phi and psi uniform.
        angles = {
            "theta": np.degrees(np.arccos(rng.uniform(-1.0, 1.0, n))),
            "phi": rng.uniform(0.0, 360.0, n),
            "psi": rng.uniform(0.0, 360.0, n),
        }
    else:
        angles = {name: np.full(n, value) for name, value in ALIGNED.items()}
    angles = {name: (a if name in used else np.full(n, np.nan)) for name, a in angles.items()}
    return params, angles


def _sasmodels_images(name, qx, qy, params, angles):
    """Images of every particle in ``params`` from sasmodels' 2-D kernel.

    NaN angles are those the model does not have: left out of the call.
    """
    from sasmodels.direct_model import call_kernel

    n = len(next(iter(angles.values())))
    grid_x, grid_y = np.meshgrid(qx, qy)
    kernel = sasmodels_model(name).make_kernel([grid_x.ravel(), grid_y.ravel()])
    out = np.empty((n, qy.size, qx.size))
    try:
        for i in range(n):
            row = {key: float(np.broadcast_to(v, (n,))[i]) for key, v in params.items()}
            row.update({key: float(a[i]) for key, a in angles.items() if np.isfinite(a[i])})
            out[i] = call_kernel(kernel, row).reshape(qy.size, qx.size)
    finally:
        kernel.release()
    return out


@stored_generator(
    {
        "n_samples": [Number(Integral, 1, None, closed="left")],
        "shapes": ["array-like", str],
        "shape": ["array-like", Number(Integral, 2, None, closed="left")],
        "q_max": [Number(Real, 0, None, closed="neither")],
        "orientation": [StrOptions({"random", "aligned"})],
        "engine": [StrOptions({"numba", "sasmodels"})],
        "noise": [StrOptions({"poisson"}), None],
        "flux": [FLUX],
        "random_state": ["random_state"],
        "return_X_y": ["boolean"],
        "progress": ["boolean"],
    }
)
def make_saxs_2d(
    n_samples=1000,
    *,
    shapes=("sphere", "cylinder", "ellipsoid", "parallelepiped"),
    shape=(128, 128),
    q_max=0.3,
    orientation="random",
    engine="numba",
    noise=None,
    flux=1000.0,
    random_state=None,
    return_X_y=False,
    progress=False,
):
    """Simulate oriented 2-D SAXS detector images of several particle shapes.

    Each image is one particle species (mono-disperse, one orientation) on a
    square detector; the class is its shape. Classes have equal numbers (the
    earlier ones get the remainder) and are shuffled. Sizes are log-uniform
    over a range set by the detector (see ``DESCR``); orientations are
    uniform over all rotations unless ``orientation="aligned"``.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of images.
    shapes : sequence of str, default=("sphere", "cylinder", "ellipsoid", \
"parallelepiped")
        The classes, in the order of their target index; any of ``"sphere"``,
        ``"cylinder"``, ``"ellipsoid"``, ``"parallelepiped"`` and
        ``"core_shell_sphere"``, each drawn as listed in ``DESCR``. With
        ``engine="sasmodels"`` also any sasmodels model with a ``radius``
        parameter and orientation angles among ``theta``, ``phi``, ``psi``
        or none (such as ``"hollow_cylinder"``): it keeps its sasmodels
        defaults (``scale`` and ``background`` included) except ``radius``,
        drawn log-uniformly over the radius-like size range, and, if it has
        one, ``length``, twice a second such draw, and except the
        orientation angles it has, drawn as ``orientation`` says.
    shape : (int, int) or int, default=(128, 128)
        Detector size (H, W) in pixels, rows along qy; an int gives a square.
    q_max : float, default=0.3
        Half-width of the detector in 1/Angstrom: pixel centres span
        (-q_max, q_max) on both axes.
    orientation : {"random", "aligned"}, default="random"
        ``"random"``: the c axis uniform on the sphere (``theta`` from
        ``arccos`` of a uniform cosine, ``phi`` uniform in [0, 360)) and
        ``psi`` uniform in [0, 360) degrees. ``"aligned"``: every c axis
        along qx (``theta=90, phi=0, psi=0``).
    engine : {"numba", "sasmodels"}, default="numba"
        Compute the images with this package's Numba kernel
        (:func:`~sciml_estimators.simulators.oriented_iq`), or with sasmodels'
        2-D kernels (compiled C engine in double precision, one image per
        call; much slower, needs ``pip install sasmodels``). The draws, and
        so the parameters, are the same with either engine.
    noise : {"poisson"} or None, default=None
        ``None`` returns ideal images. ``"poisson"`` returns Poisson counts
        of each pixel at ``flux``, divided back into 1/cm.
    flux : float, default=1000.0
        Expected counts in a pixel for an intensity of 1 1/cm, in [1e-12, 1e12].
        Only used with ``noise="poisson"``.
    random_state : int, RandomState instance or None, default=None
        Seeds the sizes, orientations, class order and noise.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    progress : bool, default=False
        Show a progress bar while simulating.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (n_samples, H, W), dtype float32
            Intensities I(qx, qy) in 1/cm, ``data[i, row, col]`` at
            ``(qx[col], qy[row])``.
        target : ndarray of shape (n_samples,)
            Class index into ``target_names``.
        target_names : ndarray of shape (n_classes,)
            The shapes.
        qx : ndarray of shape (W,)
            Pixel-centre qx in 1/Angstrom.
        qy : ndarray of shape (H,)
            Pixel-centre qy in 1/Angstrom.
        parameters : dict of ndarray of shape (n_samples,)
            Every image's parameters, under sasmodels' names, and its view
            angles ``theta``, ``phi``, ``psi`` in degrees; NaN where a
            parameter or angle does not apply to the shape.
        DESCR : str
            Description of the set and of the simulator.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    ValueError
        If a shape is repeated, or unknown: not built in (with
        ``engine="numba"``), or not a sasmodels model with a ``radius`` and
        orientation angles among ``theta``, ``phi``, ``psi`` or none (with
        ``engine="sasmodels"``), or if ``shape`` is not (H, W).
    ImportError
        If ``engine="sasmodels"`` and sasmodels is not installed.

    Examples
    --------
    >>> from sciml_estimators.datasets import make_saxs_2d
    >>> saxs = make_saxs_2d(8, shape=(32, 32), random_state=0)
    >>> saxs.data.shape, saxs.data.dtype.name, sorted(saxs.target.tolist())
    ((8, 32, 32), 'float32', [0, 0, 1, 1, 2, 2, 3, 3])
    """
    rng = check_random_state(random_state)
    if engine == "sasmodels":
        import_sasmodels()
    shapes, models = _check_shapes(shapes, engine)
    image = _check_image_shape(shape)
    qx, qy = detector_axis(image[1], q_max), detector_axis(image[0], q_max)
    sizes = size_range(image, q_max)
    counts = [n_samples // len(shapes) + (i < n_samples % len(shapes))
              for i in range(len(shapes))]

    data = np.empty((n_samples, *image), dtype=np.float32)
    blocks = []
    row = 0
    with chunked_progress(n_samples, "simulating SAXS images", progress) as bar:
        for name, n in zip(shapes, counts):
            params, angles = _draw(name, n, sizes, orientation, rng, models.get(name))
            for start in range(0, n, _BATCH):
                batch = slice(start, min(start + _BATCH, n))
                stop = row + batch.stop - batch.start
                batch_params = {key: np.broadcast_to(v, (n,))[batch] for key, v in params.items()}
                if engine == "sasmodels":
                    data[row:stop] = _sasmodels_images(
                        name, qx, qy, batch_params,
                        {key: v[batch] for key, v in angles.items()},
                    )
                else:
                    data[row:stop] = oriented_iq(
                        name, qx[None, :], qy[:, None], batch_params,
                        **{key: np.nan_to_num(v[batch]) for key, v in angles.items()},
                    )
                bar.update(stop - row)
                row = stop
            blocks.append((params, angles, n))

    names = {}
    for params, angles, _ in blocks:
        names.update(dict.fromkeys([*params, *angles]))
    parameters = {
        key: np.concatenate(
            [np.broadcast_to(np.asarray({**p, **a}.get(key, np.nan), float), (n,))
             for p, a, n in blocks]
        )
        for key in names
    }
    target = np.repeat(np.arange(len(shapes)), counts)
    order = rng.permutation(n_samples)
    data, target = data[order], target[order]
    parameters = {key: values[order] for key, values in parameters.items()}
    if noise == "poisson":
        data = (rng.poisson(data.astype(np.float64) * flux) / flux).astype(np.float32)

    if return_X_y:
        return data, target
    descr = _DESCR_HEAD.format(
        classes=", ".join(shapes), h=image[0], w=image[1], q_max=q_max, r0=sizes[0],
        r1=sizes[1], f0=SHELL_FRACTION_RANGE[0], f1=SHELL_FRACTION_RANGE[1],
        sld_core=FIXED_CORE_SHELL["sld_core"], sld_shell=FIXED_CORE_SHELL["sld_shell"],
        orientation=(
            "uniform over all rotations" if orientation == "random"
            else "aligned, c axis along qx (theta=90, phi=0, psi=0)"
        ),
        sasmodels_shapes="".join(
            f"- {name} (sasmodels): radius log-uniform as above"
            + (", length 2r (drawn)" if "length" in defaults else "")
            + ", sasmodels' defaults "
            + ", ".join(f"{key} = {value:g}" for key, value in defaults.items()
                        if key not in ("radius", "length"))
            + f"; angles {', '.join(angles) or 'none (isotropic)'}.\n"
            for name, (defaults, angles) in models.items()
        ),
        engine=("Numba kernel oriented_iq" if engine == "numba"
                else "sasmodels 2-D kernels (C, double precision)"),
        noise="ideal" if noise is None else f"Poisson counts at flux {flux:g} per pixel",
        **FIXED,
    )
    return Bunch(
        data=data,
        target=target,
        target_names=np.array(shapes),
        qx=qx,
        qy=qy,
        parameters=parameters,
        DESCR=descr + "\n" + _oriented.__doc__,
    )
