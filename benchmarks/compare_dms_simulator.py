"""Run the Numba DMS kernel and its plain NumPy version side by side.

Usage::

    python benchmarks/compare_dms_simulator.py [--n 1000] [--n-numpy 100] [--measured]

Prints a Markdown table (work, seconds and patterns per second for each
engine, speedup, largest absolute difference) and the machine it ran on. The
work is ``benchmark_dms_simulator``'s: Si [001] patterns of 128 x 128 at
8 keV with the psi, tilt and energy draws of ``make_dms``. Numba is timed as
the best of three after a JIT warm-up; NumPy, slower, once on the first
``--n-numpy`` patterns. Patterns per second compare the two at equal work
per pattern.

``--measured`` times ``make_dms(n)`` against ``make_dms(n,
nuisances="measured")`` instead (the whole generator, draws included, each
the best of three after a warm-up, in the same run so that the machine's load
weighs on both alike) and prints their patterns per second and ratio.
"""

import argparse
import os

import numpy as np

from sciml_estimators.bench._system import simulator_machine
from sciml_estimators import metrics  # not `import time_per_sample`: asv would run it
from sciml_estimators.datasets import make_dms

if __package__:  # imported by asv's discovery as benchmarks.compare_dms_simulator
    from . import benchmark_dms_simulator as dms
else:  # run as a script
    import benchmark_dms_simulator as dms


def best_of(simulate, rotations, energy, repeat):
    """Return (result, smallest wall time in seconds over ``repeat`` runs)."""
    timing = metrics.time_per_sample(lambda: simulate(rotations, energy), 1, repeats=repeat)
    return timing["result"], timing["min"]


def measured_rows(n):
    """Print ideal and measured-like ``make_dms`` patterns per second and their ratio."""
    print("| work | nuisances | patterns | seconds | patterns/s | time ratio |")
    print("|---|---|---:|---:|---:|---:|")
    seconds = {}
    for nuisances in (None, "measured"):
        run = lambda: make_dms(n, nuisances=nuisances, random_state=0)  # noqa: E731
        make_dms(2, nuisances=nuisances, random_state=0)  # JIT warm-up
        seconds[nuisances] = metrics.time_per_sample(run, 1, repeats=3)["min"]
        print(f"| make_dms Si [001] 128 x 128 | {nuisances or 'ideal'} | {n} "
              f"| {seconds[nuisances]:.3f} | {n / seconds[nuisances]:.0f} "
              f"| {seconds[nuisances] / seconds[None]:.2f} |", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=dms.N_PATTERNS, help="patterns for Numba")
    parser.add_argument("--n-numpy", type=int, default=100, help="patterns for NumPy")
    parser.add_argument("--measured", action="store_true",
                        help="time make_dms ideal against measured-like instead")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    if args.measured:
        measured_rows(args.n)
        print("\nMachine: " + simulator_machine(load, f", numpy {np.__version__}"))
        return
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
