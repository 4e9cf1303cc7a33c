"""Particle shapes of the SAXS-1D datasets: size ranges, radii of gyration, engines.

Each built-in shape names a simulator, its size parameters (a ``(low, high)``
range drawn log-uniformly, or a fixed value), its contrast, the size parameter
that ``polydispersity`` spreads, and the radius of gyration of the particle.
:func:`simulate` computes profiles with the Numba kernels or with sasmodels.
"""

import importlib

import numpy as np

from ..simulators import (
    _core_shell_sphere,
    _cylinder,
    _ellipsoid,
    _parallelepiped,
    _sphere,
    core_shell_sphere_iq,
    cylinder_iq,
    ellipsoid_iq,
    parallelepiped_iq,
    pinhole_weights,
    polydisperse_iq,
    slit_weights,
    sphere_iq,
)
from ._saxs_measured import MeasuredResolution

#: Size ranges of the paper's set in Angstrom, sampled log-uniformly.
RADIUS_RANGE = (10.0, 500.0)
LENGTH_C_RANGE = (10.0, 500.0)
#: Parameters shared by every profile: one contrast for all shapes, so only
#: shape and size tell the classes apart.
FIXED = {"sld": 4.0, "sld_solvent": 1.0, "scale": 1.0, "background": 0.001}
FIXED_LENGTHS = {"length_a": 35.0, "length_b": 75.0}
#: The core-shell sphere: the core has the shared sld, the shell half its contrast.
CORE_SHELL_CONTRAST = {
    "sld_core": FIXED["sld"],
    "sld_shell": 2.5,
    "sld_solvent": FIXED["sld_solvent"],
    "scale": FIXED["scale"],
    "background": FIXED["background"],
}
#: Polydispersity: sasmodels' Schulz distribution with its default sampling.
PD_KIND, PD_NPTS, PD_NSIGMAS = "schulz", 35, 3.0


def _rg_sphere(p):
    return np.sqrt(0.6) * p["radius"]


def _rg_cylinder(p):
    return np.sqrt(p["radius"] ** 2 / 2 + p["length"] ** 2 / 12)


def _rg_ellipsoid(p):
    return np.sqrt((p["radius_polar"] ** 2 + 2 * p["radius_equatorial"] ** 2) / 5)


def _rg_parallelepiped(p):
    return np.sqrt((p["length_a"] ** 2 + p["length_b"] ** 2 + p["length_c"] ** 2) / 12)


def _rg_core_shell_sphere(p):
    # Contrast-weighted: Rg^2 = int drho r^2 dV / int drho dV over core and shell.
    core = p["sld_core"] - p["sld_shell"]
    shell = p["sld_shell"] - p["sld_solvent"]
    inner, outer = p["radius"], p["radius"] + p["thickness"]
    return np.sqrt(
        0.6 * (core * inner**5 + shell * outer**5) / (core * inner**3 + shell * outer**3)
    )


#: name -> (simulator, module, sizes, contrast, dispersed parameter, Rg formula).
#: In ``sizes`` a tuple is a log-uniform range, a float a fixed value.
SHAPES = {
    "sphere": (
        sphere_iq, _sphere, {"radius": RADIUS_RANGE}, FIXED, "radius", _rg_sphere
    ),
    "cylinder": (
        cylinder_iq, _cylinder, {"radius": (10.0, 250.0), "length": (20.0, 1000.0)},
        FIXED, "radius", _rg_cylinder,
    ),
    "ellipsoid": (
        ellipsoid_iq, _ellipsoid,
        {"radius_polar": (10.0, 500.0), "radius_equatorial": (10.0, 500.0)},
        FIXED, "radius_equatorial", _rg_ellipsoid,
    ),
    "parallelepiped": (
        parallelepiped_iq, _parallelepiped, {**FIXED_LENGTHS, "length_c": LENGTH_C_RANGE},
        FIXED, "length_c", _rg_parallelepiped,
    ),
    "core_shell_sphere": (
        core_shell_sphere_iq, _core_shell_sphere,
        {"radius": (10.0, 400.0), "thickness": (5.0, 100.0)},
        CORE_SHELL_CONTRAST, "radius", _rg_core_shell_sphere,
    ),
}

RG_FORMULAS = {
    "sphere": "sqrt(3/5) radius",
    "cylinder": "sqrt(radius^2/2 + length^2/12)",
    "ellipsoid": "sqrt((radius_polar^2 + 2 radius_equatorial^2)/5)",
    "parallelepiped": "sqrt((length_a^2 + length_b^2 + length_c^2)/12)",
    "core_shell_sphere": (
        "sqrt(3/5 (dc R^5 + ds Ro^5)/(dc R^3 + ds Ro^3)), R = radius, "
        "Ro = radius + thickness, dc = sld_core - sld_shell, ds = sld_shell - sld_solvent"
    ),
}


def import_sasmodels():
    """Import ``sasmodels.core``, or say how to install it."""
    try:
        return importlib.import_module("sasmodels.core")
    except ImportError as error:
        raise ImportError(
            "engine='sasmodels' needs the sasmodels package: pip install sasmodels"
        ) from error


class Shape:
    """One shape of the set: what to draw, how to simulate, its Rg."""

    def __init__(self, name, simulator, module, sizes, contrast, dispersed, rg):
        self.name, self.simulator, self.module = name, simulator, module
        self.sizes, self.contrast = sizes, contrast
        self.dispersed, self.rg = dispersed, rg

    @property
    def drawn(self):
        """Names of the size parameters drawn log-uniformly."""
        return [name for name, value in self.sizes.items() if isinstance(value, tuple)]

    def draw(self, n, rng):
        """Draw ``n`` particles: a dict of arrays (drawn) and floats (fixed)."""
        params = {}
        for name, value in self.sizes.items():
            if isinstance(value, tuple):
                params[name] = np.exp(rng.uniform(*np.log(value), size=n))
            else:
                params[name] = value
        return {**params, **self.contrast}


def sasmodels_scalars(name):
    """Return sasmodels model ``name``'s info and scalar shape parameter defaults.

    The defaults leave out orientation, magnetic and vector parameters. Raises
    ValueError if sasmodels has no such model or it has no ``radius``.
    """
    core = import_sasmodels()
    known = core.list_models()
    if name not in known:
        raise ValueError(
            f"Unknown shape {name!r}: the built-in shapes are {', '.join(SHAPES)}, and "
            f"engine='sasmodels' also takes any sasmodels model: {', '.join(known)}."
        )
    info = core.load_model_info(name)
    scalars = {
        p.name: float(p.default)
        for p in info.parameters.kernel_parameters
        if p.length == 1 and p.type not in ("orientation", "magnetic")
    }
    if "radius" not in scalars:
        raise ValueError(
            f"sasmodels model {name!r} has no 'radius' parameter to draw; "
            "engine='sasmodels' takes models with a radius."
        )
    return info, scalars


def sasmodels_shape(name):
    """A shape computed only by sasmodels: its defaults, radius (and length) drawn."""
    info, scalars = sasmodels_scalars(name)
    sizes = {
        key: (RADIUS_RANGE if key in ("radius", "length") else value)
        for key, value in scalars.items()
    }
    contrast = {"scale": 1.0, "background": 0.001}
    for p in info.parameters.common_parameters:
        contrast[p.name] = float(p.default)
    return Shape(name, None, None, sizes, contrast, "radius", None)


def get_shape(name, engine):
    """The :class:`Shape` called ``name``; sasmodels models only with that engine."""
    if name in SHAPES:
        return Shape(name, *SHAPES[name])
    if engine == "sasmodels":
        return sasmodels_shape(name)
    raise ValueError(
        f"Unknown shape {name!r}; known shapes are {', '.join(SHAPES)} "
        "(engine='sasmodels' also takes any sasmodels model with a radius)."
    )


def _numba_profiles(shape, q, params, polydispersity, resolution):
    def iq(q_eval, **kwargs):
        if polydispersity is None:
            return shape.simulator(q_eval, **kwargs)
        return polydisperse_iq(
            shape.simulator, q_eval, shape.dispersed, pd=polydispersity, kind=PD_KIND,
            npts=PD_NPTS, nsigmas=PD_NSIGMAS, **kwargs,
        )

    if resolution is None:
        return iq(q, **params)
    if not isinstance(resolution, MeasuredResolution):
        q_calc, weights = pinhole_weights(q, resolution)
    elif resolution.dq is not None:
        q_calc, weights = pinhole_weights(q, dq=resolution.dq)
    else:
        q_calc, weights = slit_weights(q, resolution.slit_length, resolution.slit_width)
    return iq(q_calc, **params) @ weights


_MODELS = {}


def sasmodels_model(name):
    """sasmodels' model ``name`` (compiled C engine, double precision), loaded once."""
    if name not in _MODELS:
        _MODELS[name] = import_sasmodels().load_model(name, dtype="double", platform="dll")
    return _MODELS[name]


def _sasmodels_profiles(shape, q, params, n, polydispersity, resolution):
    import_sasmodels()
    from sasmodels.direct_model import call_kernel
    from sasmodels.resolution import Pinhole1D, Slit1D

    if resolution is None:
        q_calc, apply = q, None
    else:
        if not isinstance(resolution, MeasuredResolution):
            smearing = Pinhole1D(q, resolution * q)
        elif resolution.dq is not None:
            smearing = Pinhole1D(q, resolution.dq)
        else:
            smearing = Slit1D(q, q_length=resolution.slit_length, q_width=resolution.slit_width)
        q_calc, apply = smearing.q_calc, smearing.apply
    kernel = sasmodels_model(shape.name).make_kernel([q_calc])
    dispersion = {}
    if polydispersity is not None:
        dispersion = {
            f"{shape.dispersed}_pd": polydispersity,
            f"{shape.dispersed}_pd_type": PD_KIND,
            f"{shape.dispersed}_pd_n": PD_NPTS,
            f"{shape.dispersed}_pd_nsigma": PD_NSIGMAS,
        }
    out = np.empty((n, q.size))
    try:
        for i in range(n):
            row = {key: (value[i] if np.ndim(value) else value) for key, value in params.items()}
            iq = call_kernel(kernel, {**row, **dispersion})
            out[i] = iq if apply is None else apply(iq)
    finally:
        kernel.release()
    return out


def simulate(shape, q, params, n, *, polydispersity, resolution, engine):
    """Profiles of ``n`` particles of ``shape`` with parameters ``params``.

    ``resolution`` is None (ideal), a pinhole dq/q, or a measured pinhole dq or
    slit (:class:`~._saxs_measured.MeasuredResolution`).
    """
    if engine == "sasmodels":
        return _sasmodels_profiles(shape, q, params, n, polydispersity, resolution)
    return _numba_profiles(shape, q, params, polydispersity, resolution)


def describe(shape):
    """One line of DESCR for ``shape``."""
    parts = []
    for name, value in {**shape.sizes, **shape.contrast}.items():
        if isinstance(value, tuple):
            parts.append(f"{name} log-uniform in [{value[0]:g}, {value[1]:g}]")
        else:
            parts.append(f"{name} = {value:g}")
    rg = RG_FORMULAS.get(shape.name, "not known (sasmodels model)")
    return f"- {shape.name}: {', '.join(parts)}; radius of gyration {rg}."
