"""SAXS simulators against sasmodels 1.1: time, memory and agreement.

The work is 2,000 profiles per shape on ``q = geomspace(1e-3, 0.5, 300)``
/Angstrom, with sizes drawn log-uniform with a fixed seed (``DRAWN``). Sphere
and parallelepiped are the SAXS-1D dataset's (``make_saxs_1d``): sphere radius
in [10, 500] Angstrom; parallelepiped ``length_a = 35``, ``length_b = 75`` and
``length_c`` in [10, 500] Angstrom. Cylinder radius and length, ellipsoid
polar and equatorial radii, and core-shell sphere radius are in [10, 500]
Angstrom, the shell thickness in [5, 50] Angstrom; the other parameters keep
their defaults, which are sasmodels'.
sasmodels is called once per profile on one kernel made in ``setup``, as a user
would; sciml_estimators makes one batched call.
``benchmarks/compare_saxs_simulators.py`` runs the same work side by side and
prints a table.
"""

import numpy as np

from sciml_estimators.datasets._saxs import DEFAULT_Q, FIXED_LENGTHS, LENGTH_C_RANGE, RADIUS_RANGE
from sciml_estimators.simulators import (
    core_shell_sphere_iq,
    cylinder_iq,
    ellipsoid_iq,
    parallelepiped_iq,
    sphere_iq,
)

N_PROFILES = 2000
Q = DEFAULT_Q
SEED = 0
SIZE_RANGE = (10.0, 500.0)
THICKNESS_RANGE = (5.0, 50.0)
SHAPES = ["sphere", "parallelepiped", "cylinder", "ellipsoid", "core_shell_sphere"]
ENGINES = ["sciml_estimators", "sasmodels"]
OURS = {
    "sphere": sphere_iq,
    "parallelepiped": parallelepiped_iq,
    "cylinder": cylinder_iq,
    "ellipsoid": ellipsoid_iq,
    "core_shell_sphere": core_shell_sphere_iq,
}
#: Per shape, the lengths drawn log-uniform, in this order: {name: (low, high)}.
DRAWN = {
    "sphere": {"radius": RADIUS_RANGE},
    "parallelepiped": {"length_c": LENGTH_C_RANGE},
    "cylinder": {"radius": SIZE_RANGE, "length": SIZE_RANGE},
    "ellipsoid": {"radius_polar": SIZE_RANGE, "radius_equatorial": SIZE_RANGE},
    "core_shell_sphere": {"radius": SIZE_RANGE, "thickness": THICKNESS_RANGE},
}
#: Per shape, the lengths held fixed (the other parameters keep their defaults).
FIXED_BY_SHAPE = {"parallelepiped": FIXED_LENGTHS}


def dataset_parameters(shape, n=N_PROFILES, seed=SEED):
    """Per-profile parameters of ``shape``'s work, as 1-D arrays of length ``n``."""
    rng = np.random.default_rng(seed)
    fixed = {name: np.full(n, value) for name, value in FIXED_BY_SHAPE.get(shape, {}).items()}
    drawn = {name: np.exp(rng.uniform(*np.log(bounds), n))
             for name, bounds in DRAWN[shape].items()}
    return {**fixed, **drawn}


def sasmodels_simulator(shape, q=Q):
    """Return ``simulate(parameters) -> (n, len(q))`` running sasmodels per profile.

    Raises NotImplementedError, which asv reports as a skip, without sasmodels.
    """
    try:
        from sasmodels.core import load_model
        from sasmodels.direct_model import call_kernel
    except ImportError as exc:
        raise NotImplementedError("sasmodels is not installed") from exc
    kernel = load_model(shape, dtype="double", platform="dll").make_kernel([q])

    def simulate(parameters):
        names = list(parameters)
        return np.array(
            [call_kernel(kernel, dict(zip(names, values)))
             for values in zip(*parameters.values())]
        )

    return simulate


def our_simulator(shape, q=Q):
    """Return ``simulate(parameters) -> (n, len(q))`` with one batched call, JIT warmed."""
    iq = OURS[shape]
    iq(q, **dataset_parameters(shape, n=2))

    def simulate(parameters):
        return iq(q, **parameters)

    return simulate


def simulator(shape, engine, q=Q):
    """Return the simulate function of ``engine`` for ``shape``."""
    if engine == "sasmodels":
        return sasmodels_simulator(shape, q)
    return our_simulator(shape, q)


class SAXSSimulators:
    """Generate the dataset's 2,000 profiles with each engine."""

    params = (SHAPES, ENGINES)
    param_names = ["shape", "engine"]
    # sasmodels takes ~20 s for the parallelepipeds: few, unrepeated samples.
    number = 1
    repeat = (1, 5, 30.0)
    warmup_time = 0.0
    timeout = 600

    def setup(self, shape, engine):
        self.parameters = dataset_parameters(shape)
        self.simulate = simulator(shape, engine)

    def time_simulate(self, shape, engine):
        self.simulate(self.parameters)

    def peakmem_simulate(self, shape, engine):
        self.simulate(self.parameters)


class SAXSSimulatorAgreement:
    """Largest relative difference from sasmodels over the dataset's profiles."""

    params = SHAPES
    param_names = ["shape"]
    timeout = 600

    def setup(self, shape):
        parameters = dataset_parameters(shape)
        self.expected = sasmodels_simulator(shape)(parameters)
        self.actual = our_simulator(shape)(parameters)

    def track_max_relative_error(self, shape):
        return float(np.max(np.abs(self.actual / self.expected - 1)))

    track_max_relative_error.unit = "relative error"
