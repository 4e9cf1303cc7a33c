"""Run sasmodels 1.1 and sciml_estimators side by side on the SAXS-1D work.

Usage::

    python benchmarks/compare_saxs_simulators.py [--n 2000]

Prints a Markdown table (work, seconds for each engine, speedup, largest
relative difference) and the machine it ran on. sasmodels makes one call per
profile on one kernel (compiled C, double precision, one thread unless
SAS_OPENMP is set); sciml_estimators makes one batched call, timed as the best
of five after a JIT warm-up. There is one row per shape, on the work of
``benchmark_saxs_simulators`` (``DRAWN`` names the lengths that vary), and a
smaller parallelepiped row that draws all three lengths, so that no two
profiles share the inner integral: that is the kernel's speed without reuse
across profiles.
"""

import argparse
import os

import numpy as np

from sciml_estimators.bench._system import simulator_machine
from sciml_estimators import metrics  # not `import time_per_sample`: asv would run it

if __package__:  # imported by asv's discovery as benchmarks.compare_saxs_simulators
    from . import benchmark_saxs_simulators as saxs
else:  # run as a script
    import benchmark_saxs_simulators as saxs


def all_lengths_vary(n, seed=saxs.SEED):
    """Parallelepipeds with all three lengths uniform in [10, 500] Angstrom."""
    lengths = np.random.default_rng(seed).uniform(10.0, 500.0, (3, n))
    return dict(zip(["length_a", "length_b", "length_c"], lengths))


def varying(shape):
    """Say which lengths vary in ``shape``'s work, e.g. "radius, length vary"."""
    names = list(saxs.DRAWN[shape])
    return f"{', '.join(names)} {'varies' if len(names) == 1 else 'vary'}"


def best_of(simulate, parameters, repeat):
    """Return (result, smallest wall time in seconds over ``repeat`` runs)."""
    timing = metrics.time_per_sample(lambda: simulate(parameters), 1, repeats=repeat)
    return timing["result"], timing["min"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="profiles per shape")
    args = parser.parse_args(argv)
    n_generic = max(1, args.n // 10)
    n_q = saxs.Q.size
    works = [
        (f"{args.n} {shape} profiles ({varying(shape)}), {n_q} q", shape,
         saxs.dataset_parameters(shape, args.n))
        for shape in saxs.SHAPES
    ]
    works.insert(2, (f"{n_generic} parallelepiped profiles (all lengths vary), {n_q} q",
                     "parallelepiped", all_lengths_vary(n_generic)))
    load = os.getloadavg()[0]
    print("| work | sasmodels (s) | sciml_estimators (s) | speedup | max relative error |")
    print("|---|---:|---:|---:|---:|")
    for label, shape, parameters in works:
        expected, t_sasmodels = best_of(saxs.sasmodels_simulator(shape), parameters, repeat=1)
        actual, t_ours = best_of(saxs.our_simulator(shape), parameters, repeat=5)
        error = np.max(np.abs(actual / expected - 1))
        print(f"| {label} | {t_sasmodels:.3f} | {t_ours:.4f} | {t_sasmodels / t_ours:.0f}x "
              f"| {error:.1e} |", flush=True)
    openmp = "SAS_OPENMP set" if "SAS_OPENMP" in os.environ else "one thread"
    print("\nMachine: " + simulator_machine(load, f"; sasmodels {openmp}"))


if __name__ == "__main__":
    main()
