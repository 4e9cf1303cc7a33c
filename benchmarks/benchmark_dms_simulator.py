"""DMS simulator: the Numba kernel against a plain NumPy version of it.

The work is 1,000 Si [001] patterns of 128 x 128 pixels at 8 keV on the
default detector (80 mm, 0.75 mm pixels; 84 to 92 of the 246 cones reach it), with
psi uniform over the 90 degree period, tilts of 0.2 degrees r.m.s. and an
energy jitter of 1e-3 r.m.s., drawn with a fixed seed as ``make_dms`` does.
Both engines share the reflection table and pixel directions of one
``DMSSetup`` made in ``setup``; only the per-pattern kernel is timed.

The NumPy version evaluates every line that can reach the detector (the
kernel's per-reflection cull) on every pixel as one array expression per
pattern; the Numba kernel also skips the 8 x 8 pixel tiles a line cannot
reach and runs patterns in parallel. ``benchmarks/compare_dms_simulator.py``
runs the same work side by side and prints patterns per second.
"""

import math

import numpy as np

from sciml_estimators.simulators._dms import (
    DMSSetup,
    rotation_z,
    tilt_rotation,
    wavelength,
)

N_PATTERNS = 1000
SHAPE = (128, 128)
SEED = 0
PERIOD = 90.0
TILT_DEG = 0.2
ENERGY_KEV = 8.0
ENERGY_JITTER = 1e-3
ENGINES = ["numba", "numpy"]
CUT = 5.0


def work(n=N_PATTERNS, seed=SEED):
    """Rotations (n, 3, 3) and energies (n,) of the benchmark's patterns."""
    rng = np.random.RandomState(seed)
    psi = rng.uniform(0.0, PERIOD, n)
    tilt = rng.normal(0.0, TILT_DEG, (n, 2))
    energy = ENERGY_KEV * (1 + rng.normal(0.0, ENERGY_JITTER, n))
    return tilt_rotation(tilt) @ rotation_z(psi), energy


def make_setup(shape=SHAPE):
    """The shared reflection table and detector of the work."""
    return DMSSetup("Si", energy_kev=ENERGY_KEV, shape=shape,
                    max_energy_kev=ENERGY_KEV * (1 + 6 * ENERGY_JITTER))


def numpy_patterns(setup, rotations, energy_kev, out):
    """Plain NumPy version of ``dms_kernel``: same lines, profiles and crossings."""
    kf = setup.directions  # (3, n_pixels), image order
    for i, (rot, energy) in enumerate(zip(rotations, energy_kev)):
        g = setup.g_hat @ rot.T
        cos_cone = setup.g_norm * wavelength(energy) / (4 * math.pi)
        sin2 = 1 - cos_cone**2
        sigma = np.sqrt((cos_cone * setup.bandwidth) ** 2 + sin2 * setup.angular_var)
        beta = np.arccos(np.clip(g @ setup.cap_axis, -1, 1))
        margin = setup.cap_radius + 6 * sigma / np.sqrt(np.maximum(sin2, 1e-12))
        seen = (cos_cone < 1) & (np.abs(beta - np.arccos(np.minimum(cos_cone, 1))) <= margin)
        t = (g[seen] @ kf - cos_cone[seen, None]) / sigma[seen, None]
        t2 = t * t
        lines = np.where(t2 < CUT * CUT, setup.weight[seen, None] * np.exp(-0.5 * t2), 0.0)
        total = lines.sum(axis=0)
        out[i] = total + 0.5 * setup.crossing * (total * total - np.einsum("ij,ij->j",
                                                                           lines, lines))
    return out


def simulator(engine, setup):
    """Return ``simulate(rotations, energy) -> (n, H*W) float32``, JIT warmed."""
    n_pixels = setup.directions.shape[1]

    def simulate(rotations, energy):
        out = np.empty((len(energy), n_pixels), dtype=np.float32)
        if engine == "numpy":
            return numpy_patterns(setup, rotations, energy, out)
        return setup.simulate(rotations, energy, out)

    simulate(*work(2))
    return simulate


class DMSSimulator:
    """Simulate 1,000 128 x 128 Si patterns with each engine."""

    params = ENGINES
    param_names = ["engine"]
    number = 1
    repeat = (1, 5, 60.0)
    warmup_time = 0.0
    timeout = 600

    def setup(self, engine):
        self.rotations, self.energy = work()
        self.simulate = simulator(engine, make_setup())

    def time_simulate(self, engine):
        self.simulate(self.rotations, self.energy)

    def peakmem_simulate(self, engine):
        self.simulate(self.rotations, self.energy)


class DMSSimulatorAgreement:
    """Largest absolute difference between the engines on 50 patterns."""

    timeout = 600

    def setup(self):
        rotations, energy = work(50)
        setup = make_setup()
        self.actual = simulator("numba", setup)(rotations, energy)
        self.expected = simulator("numpy", setup)(rotations, energy)

    def track_max_abs_difference(self):
        return float(np.max(np.abs(self.actual - self.expected)))

    track_max_abs_difference.unit = "intensity"
