"""Oriented 2-D SAXS patterns against sasmodels 1.1: time and agreement.

The work is 100 patterns per shape on the ``make_saxs_2d`` default detector
(128 x 128 pixel centres to ``q_max = 0.3`` /Angstrom), with the dataset's
size ranges and random orientations drawn with a fixed seed (``SEED``)
through the dataset's own sampler; contrasts are the dataset's.
sasmodels is called once per pattern on one kernel made in ``setup`` on the
flattened (qx, qy) grid, as ``empty_data2D`` and ``DirectModel`` do, as a user
would; sciml_estimators makes one batched call.
"""

import numpy as np

from sciml_estimators.datasets._saxs_2d import (
    KNOWN_SHAPES,
    _draw,
    detector_axis,
    size_range,
)
from sciml_estimators.simulators import oriented_iq
from sciml_estimators.simulators._oriented import SHAPES as ANGLES_USED

N_PATTERNS = 100
IMAGE = (128, 128)
Q_MAX = 0.3
SEED = 0
SHAPES = list(KNOWN_SHAPES)
ENGINES = ["sciml_estimators", "sasmodels"]
QX = detector_axis(IMAGE[1], Q_MAX)[None, :]
QY = detector_axis(IMAGE[0], Q_MAX)[:, None]


def pattern_parameters(shape, n=N_PATTERNS, seed=SEED):
    """Per-pattern (params, angles) of ``shape``, as the dataset draws them."""
    rng = np.random.RandomState(seed)
    params, angles = _draw(shape, n, size_range(IMAGE, Q_MAX), "random", rng)
    params = {key: np.broadcast_to(value, (n,)) for key, value in params.items()}
    angles = {key: angles[key] for key in ANGLES_USED[shape][1]}
    return params, angles


def sasmodels_simulator(shape):
    """Return ``simulate(params, angles) -> (n, H, W)`` running sasmodels per pattern.

    Raises NotImplementedError, which asv reports as a skip, without sasmodels.
    """
    try:
        from sasmodels.core import load_model
        from sasmodels.direct_model import call_kernel
    except ImportError as exc:
        raise NotImplementedError("sasmodels is not installed") from exc
    qx, qy = np.broadcast_arrays(QX, QY)
    model = load_model(shape, dtype="double", platform="dll")
    kernel = model.make_kernel([qx.ravel(), qy.ravel()])

    def simulate(params, angles):
        columns = {**params, **angles}
        names = list(columns)
        return np.array(
            [call_kernel(kernel, dict(zip(names, values))).reshape(qx.shape)
             for values in zip(*columns.values())]
        )

    return simulate


def our_simulator(shape):
    """Return ``simulate(params, angles) -> (n, H, W)`` with one batched call, JIT warmed."""

    def simulate(params, angles):
        return oriented_iq(shape, QX, QY, params, **angles)

    simulate(*pattern_parameters(shape, n=2))
    return simulate


def simulator(shape, engine):
    """Return the simulate function of ``engine`` for ``shape``."""
    if engine == "sasmodels":
        return sasmodels_simulator(shape)
    return our_simulator(shape)


class SAXS2DSimulators:
    """Compute 100 oriented 128 x 128 patterns per shape with each engine."""

    params = (SHAPES, ENGINES)
    param_names = ["shape", "engine"]
    number = 1
    repeat = (3, 10, 20.0)
    warmup_time = 0.0
    timeout = 300

    def setup(self, shape, engine):
        self.params_, self.angles = pattern_parameters(shape)
        self.simulate = simulator(shape, engine)

    def time_simulate(self, shape, engine):
        self.simulate(self.params_, self.angles)

    def peakmem_simulate(self, shape, engine):
        self.simulate(self.params_, self.angles)


class SAXS2DSimulatorAgreement:
    """Largest relative difference from sasmodels over the 100 patterns."""

    params = SHAPES
    param_names = ["shape"]
    timeout = 300

    def setup(self, shape):
        parameters = pattern_parameters(shape)
        self.expected = sasmodels_simulator(shape)(*parameters)
        self.actual = our_simulator(shape)(*parameters)

    def track_max_relative_error(self, shape):
        return float(np.max(np.abs(self.actual / self.expected - 1)))

    track_max_relative_error.unit = "relative error"
