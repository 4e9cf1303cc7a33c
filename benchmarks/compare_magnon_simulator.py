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
"""

import argparse
import os

import numpy as np

from sciml_estimators.bench._system import simulator_machine
from sciml_estimators import metrics  # not `import time_per_sample`: asv would run it

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=magnons.PAPER_IMAGES, help="images for Numba")
    parser.add_argument("--n-numpy", type=int, default=magnons.PAPER_IMAGES,
                        help="images for NumPy")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    J, J2, settings = magnons.work(args.n)
    magnons.magnon_slices(J[:2], J2[:2], **settings)  # JIT warm-up
    ours, t_numba = seconds(lambda: magnons.magnon_slices(J, J2, **settings), repeat=3)
    m = min(args.n_numpy, args.n)
    reference, t_numpy = seconds(
        lambda: chunked(magnons.numpy_magnon_slices)(J[:m], J2[:m], settings), repeat=1)
    scale = np.abs(ours[:m]).max(axis=(1, 2), keepdims=True)
    difference = float(np.max(np.abs(reference - ours[:m]) / scale))
    del ours, reference
    _, t_dataset = seconds(lambda: magnons.make_magnons(args.n, random_state=0), repeat=1)
    print("| work | engine | images | seconds | images/s | speedup | max relative difference |")
    print("|---|---|---:|---:|---:|---:|---:|")
    label = "128 x 128 slices with mask"
    print(f"| {label} | numba | {args.n} | {t_numba:.2f} | {args.n / t_numba:.0f} "
          f"| {(args.n / t_numba) / (m / t_numpy):.1f}x | {difference:.1e} |")
    print(f"| {label} | numpy | {m} | {t_numpy:.2f} | {m / t_numpy:.0f} | 1x | |")
    print(f"| make_magnons({args.n}) | numba | {args.n} | {t_dataset:.2f} "
          f"| {args.n / t_dataset:.0f} | | |", flush=True)
    print("\nMachine: " + simulator_machine(load, f", numpy {np.__version__}"))


if __name__ == "__main__":
    main()
