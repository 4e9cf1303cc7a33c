"""Run the magnon image kernel in Numba and in plain NumPy side by side.

Usage::

    python benchmarks/compare_magnon_simulator.py [--n 29957] [--n-numpy 29957]

Prints a Markdown table (work, seconds, images per second, speedup, largest
difference relative to each image's maximum) and the machine it ran on. The
work is ``benchmark_magnon_simulator``'s: ``make_magnons``' 128 x 128 slices
with the coverage mask, (J, J') drawn with a fixed seed. Numba is timed as the
best of three after a JIT warm-up; NumPy once, in chunks of 512 images (whole
batches would need 4 GB per temporary). A last row times ``make_magnons``
itself at ``--n`` images (drawing, simulation and the Bunch).

The measured-like rows time, in the same run, the kernel with MARI's
nuisances (``measured_magnon_slices``, the conditions drawn as
``make_magnons(nuisances="measured")`` draws them) on the same couplings, and
``make_magnons(nuisances="measured")`` against ``make_magnons(noise="poisson")``
(both count every bin), with their ratios to the ideal rows.
"""

import argparse
import os

import numpy as np

from sciml_estimators.bench._system import simulator_machine
from sciml_estimators import metrics  # not `import time_per_sample`: asv would run it
from sciml_estimators.datasets._magnon_nuisances import CHOPPER, NUISANCE_NAMES, draw_nuisances
from sciml_estimators.datasets._nuisance_streams import nuisance_streams
from sciml_estimators.simulators import measured_magnon_slices

if __package__:  # imported by asv's discovery as benchmarks.compare_magnon_simulator
    from . import benchmark_magnon_simulator as magnons
else:  # run as a script
    import benchmark_magnon_simulator as magnons

CHUNK = 512


def chunked(engine):
    """``simulate(J, J2, settings)`` calling ``engine`` on chunks of CHUNK images."""
    def simulate(J, J2, settings):
        return np.concatenate([engine(J[i : i + CHUNK], J2[i : i + CHUNK], **settings)
                               for i in range(0, J.size, CHUNK)])
    return simulate


def seconds(function, repeat):
    """Return (result, smallest wall time over ``repeat`` runs)."""
    timing = metrics.time_per_sample(function, 1, repeats=repeat)
    return timing["result"], timing["min"]


def measured(J, J2, settings):
    """``measured_magnon_slices`` on chunks of CHUNK images, the conditions drawn with seed 0."""
    drawn = draw_nuisances(J.size, nuisance_streams(np.random.RandomState(0), NUISANCE_NAMES))
    names = [name for name in NUISANCE_NAMES if name not in ("dead_banks", "counts")]
    grid = {"h": settings["h"], "k": settings["k"], "energy_edges": settings["energy_edges"]}

    def simulate():
        for i in range(0, J.size, CHUNK):
            part = slice(i, i + CHUNK)
            measured_magnon_slices(J[part], J2[part], **grid, **CHOPPER,
                                   **{name: drawn[name][part] for name in names})
    return simulate


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=magnons.PAPER_IMAGES, help="images for Numba")
    parser.add_argument("--n-numpy", type=int, default=magnons.PAPER_IMAGES,
                        help="images for NumPy")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    J, J2, settings = magnons.work(args.n)
    magnons.magnon_slices(J[:2], J2[:2], **settings)  # JIT warm-up
    simulate = measured(J, J2, settings)
    measured(J[:2 * CHUNK], J2[:2 * CHUNK], settings)()  # JIT warm-up
    # Interleaved, best of three each: on shared cores the ratio is what holds.
    t_numba = t_measured = float("inf")
    for _ in range(3):
        ours, t = seconds(lambda: magnons.magnon_slices(J, J2, **settings), repeat=1)
        t_numba = min(t_numba, t)
        t_measured = min(t_measured, seconds(simulate, repeat=1)[1])
    m = min(args.n_numpy, args.n)
    reference, t_numpy = seconds(
        lambda: chunked(magnons.numpy_magnon_slices)(J[:m], J2[:m], settings), repeat=1)
    scale = np.abs(ours[:m]).max(axis=(1, 2), keepdims=True)
    difference = float(np.max(np.abs(reference - ours[:m]) / scale))
    del ours, reference
    _, t_dataset = seconds(lambda: magnons.make_magnons(args.n, random_state=0), repeat=1)
    _, t_counted = seconds(lambda: magnons.make_magnons(args.n, random_state=0, noise="poisson"),
                           repeat=1)
    _, t_measured_set = seconds(
        lambda: magnons.make_magnons(args.n, random_state=0, nuisances="measured"), repeat=1)
    print("| work | engine | images | seconds | images/s | speedup | max relative difference |")
    print("|---|---|---:|---:|---:|---:|---:|")
    label = "128 x 128 slices with mask"
    print(f"| {label} | numba | {args.n} | {t_numba:.2f} | {args.n / t_numba:.0f} "
          f"| {(args.n / t_numba) / (m / t_numpy):.1f}x | {difference:.1e} |")
    print(f"| {label} | numpy | {m} | {t_numpy:.2f} | {m / t_numpy:.0f} | 1x | |")
    print(f"| make_magnons({args.n}) | numba | {args.n} | {t_dataset:.2f} "
          f"| {args.n / t_dataset:.0f} | | |", flush=True)
    print(f"| measured-like slices (kernel) | numba | {args.n} | {t_measured:.2f} "
          f"| {args.n / t_measured:.0f} | {t_measured / t_numba:.2f}x the ideal kernel's time | |")
    print(f"| make_magnons({args.n}, noise='poisson') | numba | {args.n} | {t_counted:.2f} "
          f"| {args.n / t_counted:.0f} | | |")
    print(f"| make_magnons({args.n}, nuisances='measured') | numba | {args.n} "
          f"| {t_measured_set:.2f} | {args.n / t_measured_set:.0f} "
          f"| {t_measured_set / t_counted:.2f}x the counted ideal set's time | |", flush=True)
    print("\nMachine: " + simulator_machine(load, f", numpy {np.__version__}"))


if __name__ == "__main__":
    main()
