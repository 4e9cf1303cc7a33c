"""Run the Numba DMS kernel and its plain NumPy version side by side.

Usage::

    python benchmarks/compare_dms_simulator.py [--n 1000] [--n-numpy 100]

Prints a Markdown table (work, seconds and patterns per second for each
engine, speedup, largest absolute difference) and the machine it ran on. The
work is ``benchmark_dms_simulator``'s: Si [001] patterns of 128 x 128 at
8 keV with the psi, tilt and energy draws of ``make_dms``. Numba is timed as
the best of three after a JIT warm-up; NumPy, slower, once on the first
``--n-numpy`` patterns. Patterns per second compare the two at equal work
per pattern.
"""

import argparse
import os

import numpy as np

from sciml_estimators.bench._system import simulator_machine
from sciml_estimators import metrics  # not `import time_per_sample`: asv would run it

if __package__:  # imported by asv's discovery as benchmarks.compare_dms_simulator
    from . import benchmark_dms_simulator as dms
else:  # run as a script
    import benchmark_dms_simulator as dms


def best_of(simulate, rotations, energy, repeat):
    """Return (result, smallest wall time in seconds over ``repeat`` runs)."""
    timing = metrics.time_per_sample(lambda: simulate(rotations, energy), 1, repeats=repeat)
    return timing["result"], timing["min"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=dms.N_PATTERNS, help="patterns for Numba")
    parser.add_argument("--n-numpy", type=int, default=100, help="patterns for NumPy")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    setup = dms.make_setup()
    rotations, energy = dms.work(args.n)
    ours, t_numba = best_of(dms.simulator("numba", setup), rotations, energy, repeat=3)
    m = min(args.n_numpy, args.n)
    reference, t_numpy = best_of(dms.simulator("numpy", setup), rotations[:m], energy[:m],
                                 repeat=1)
    rate_numba, rate_numpy = args.n / t_numba, m / t_numpy
    error = np.max(np.abs(ours[:m] - reference))
    rows, cols = dms.SHAPE
    print("| work | engine | patterns | seconds | patterns/s | speedup | max abs difference |")
    print("|---|---|---:|---:|---:|---:|---:|")
    label = f"Si [001] {rows} x {cols}, 8 keV, {setup.g_norm.size} reflections"
    print(f"| {label} | numba | {args.n} | {t_numba:.3f} | {rate_numba:.0f} "
          f"| {rate_numba / rate_numpy:.0f}x | {error:.1e} |")
    print(f"| {label} | numpy | {m} | {t_numpy:.3f} | {rate_numpy:.1f} | 1x | |", flush=True)
    print("\nMachine: " + simulator_machine(load, f", numpy {np.__version__}"))


if __name__ == "__main__":
    main()
