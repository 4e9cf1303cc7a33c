"""SLSTR scenes: the Numba kernel against a plain NumPy version, and the dataset.

``Kernel`` times both engines on the same 100 daytime scenes of 250 x 250
pixels (fields drawn as ``make_slstr_scenes`` draws them, with a fixed seed;
the NumPy version is ``compare_slstr_simulator.numpy_channels``) and tracks
their largest difference. ``Generate`` times ``make_slstr_scenes(100,
size=250)``: fields, both simulations (scene and clear-sky background) and
noise, and tracks scenes per second. ``benchmarks/compare_slstr_simulator.py``
prints the same side by side, with the paper's 1,000 scenes.
"""

import time

import numpy as np

from sciml_estimators.datasets import make_slstr_scenes
from sciml_estimators.simulators import slstr_channels

if __package__:  # imported by asv's discovery as benchmarks.benchmark_slstr_simulator
    from . import compare_slstr_simulator as reference
else:  # run from the benchmarks folder
    import compare_slstr_simulator as reference

N_SCENES = 100
SIZE = 250
SEED = 0
ENGINES = ["numba", "numpy"]
ENGINE_FUNCTIONS = {"numba": slstr_channels, "numpy": reference.numpy_channels}


class Kernel:
    """Both engines on the same 100 scenes of 250 x 250 pixels."""

    params = ENGINES
    param_names = ["engine"]
    number = 1
    repeat = (1, 5, 60.0)
    warmup_time = 0.0
    timeout = 300

    def setup(self, engine):
        self.fields = reference.work(N_SCENES, SIZE, SEED)
        slstr_channels(*(a[:1] for a in self.fields))  # JIT warm-up

    def time_channels(self, engine):
        ENGINE_FUNCTIONS[engine](*self.fields)

    def peakmem_channels(self, engine):
        ENGINE_FUNCTIONS[engine](*self.fields)

    def track_max_abs_difference_kelvin(self, engine):
        fields = tuple(a[:10] for a in self.fields)
        ours = slstr_channels(*fields)
        return reference.differences(ours, ENGINE_FUNCTIONS[engine](*fields))[1]

    track_max_abs_difference_kelvin.unit = "K"


class Generate:
    """``make_slstr_scenes(100, size=250)``: fields, both simulations and noise."""

    number = 1
    repeat = 3
    timeout = 300

    def setup(self):
        make_slstr_scenes(2, size=SIZE, random_state=SEED)  # JIT warm-up

    def time_make_slstr_scenes(self):
        make_slstr_scenes(N_SCENES, size=SIZE, random_state=SEED)

    def peakmem_make_slstr_scenes(self):
        make_slstr_scenes(N_SCENES, size=SIZE, random_state=SEED)

    def track_scenes_per_second(self):
        start = time.perf_counter()
        make_slstr_scenes(N_SCENES, size=SIZE, random_state=SEED)
        return N_SCENES / (time.perf_counter() - start)

    track_scenes_per_second.unit = "scenes/s"


def _check():
    """Quick agreement check on 3 scenes (not an asv benchmark)."""
    fields = reference.work(3, 64, SEED)
    return reference.differences(slstr_channels(*fields), reference.numpy_channels(*fields))


if __name__ == "__main__":
    print(_check(), np.__version__)
