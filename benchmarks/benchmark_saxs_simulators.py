"""SAXS simulators against sasmodels 1.1: time, memory and agreement.

The work is the SAXS-1D dataset's (``make_saxs_1d``): 2,000 profiles on
``q = geomspace(1e-3, 0.5, 300)`` /Angstrom, sphere radius log-uniform in
[10, 500] Angstrom, parallelepiped with ``length_a = 35``, ``length_b = 75`` and
``length_c`` log-uniform in [10, 500] Angstrom, drawn with a fixed seed.
sasmodels is called once per profile on one kernel made in ``setup``, as a user
would; sciml_estimators makes one batched call.
``benchmarks/compare_saxs_simulators.py`` runs the same work side by side and
prints a table.
"""

import numpy as np

from sciml_estimators.datasets._saxs import DEFAULT_Q, FIXED_LENGTHS, LENGTH_C_RANGE, RADIUS_RANGE
from sciml_estimators.simulators import parallelepiped_iq, sphere_iq

N_PROFILES = 2000
Q = DEFAULT_Q
SEED = 0
SHAPES = ["sphere", "parallelepiped"]
ENGINES = ["sciml_estimators", "sasmodels"]
OURS = {"sphere": sphere_iq, "parallelepiped": parallelepiped_iq}


def dataset_parameters(shape, n=N_PROFILES, seed=SEED):
    """Per-profile parameters of the SAXS-1D dataset, as 1-D arrays of length ``n``."""
    size_range = RADIUS_RANGE if shape == "sphere" else LENGTH_C_RANGE
    sizes = np.exp(np.random.default_rng(seed).uniform(*np.log(size_range), n))
    if shape == "sphere":
        return {"radius": sizes}
    fixed = {name: np.full(n, value) for name, value in FIXED_LENGTHS.items()}
    return {**fixed, "length_c": sizes}


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
