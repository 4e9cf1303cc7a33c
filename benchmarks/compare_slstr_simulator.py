"""Run the Numba SLSTR kernel and a plain NumPy version of it side by side.

Usage::

    python benchmarks/compare_slstr_simulator.py [--n 100] [--n-numpy 100] [--n-dataset 1000]

Prints a Markdown table (work, seconds and scenes per second for each engine,
speedup, largest absolute difference of reflectance and of brightness
temperature) and the machine it ran on. The work is ``n`` daytime scenes of
250 x 250 pixels with the fields of ``make_slstr_scenes`` (surface, water
vapour, two cloud layers) drawn with a fixed seed. Numba is timed as the best
of three after a JIT warm-up; NumPy, once. A row times the measured-like
kernel (``slstr_surface_kernel``: a quarter of the pixels each ocean,
vegetation, desert and snow, glint, aerosol and dust) on the same fields.
The last rows time ``make_slstr_scenes`` itself at ``--n-dataset`` scenes
(drawing, both simulations, labels, noise), ideal and
``nuisances="measured"``, one after the other in the same run, and their ratio.

The NumPy version here, ``numpy_channels``, is the reference that
``benchmark_slstr_simulator.py`` times against the kernel: the module
equations of ``sciml_estimators.simulators._slstr`` as array expressions.
"""

import argparse
import os

import numpy as np

from sciml_estimators.bench._system import simulator_machine
from sciml_estimators import metrics  # not `import time_per_sample`: asv would run it
from sciml_estimators.datasets import make_slstr_scenes
from sciml_estimators.datasets import _slstr_fields as scenes
from sciml_estimators.simulators import slstr_channels
from sciml_estimators.simulators import _slstr as model
from sciml_estimators.simulators._slstr_surfaces import slstr_surface_kernel

N_SCENES = 100
SIZE = 250
SEED = 0


def work(n=N_SCENES, size=SIZE, seed=SEED):
    """Fields of ``n`` scenes as ``make_slstr_scenes`` draws them, float64.

    Returns (sst, tcwv, low_tau, low_top, high_tau, high_top): (n, size, size)
    fields and (n,) cloud tops, half the pixels cloudy on average.
    """
    rng = np.random.RandomState(seed)
    generator = np.random.Generator(np.random.SFC64(seed))
    smooth = scenes.smooth_fields(generator, n, size)
    cloud = scenes.cloud_fields(generator, n, size)
    sst = rng.uniform(290, 300, (n, 1, 1)) + 0.5 * smooth[:, 0].real / smooth[:, 0].real.std()
    tcwv = rng.uniform(20, 50, (n, 1, 1)) * (1 + 0.1 * smooth[:, 0].imag
                                              / smooth[:, 0].imag.std())
    fraction = rng.uniform(0.0, 0.6, n)
    low_tau = scenes.threshold(cloud.real, fraction, np.exp(rng.uniform(*np.log([2, 30]), n)))
    high_tau = scenes.threshold(cloud.imag, fraction * rng.uniform(size=n),
                                 np.exp(rng.uniform(*np.log([0.5, 5]), n)))
    low_top = sst.mean(axis=(1, 2)) - rng.uniform(4, 15, n)
    high_top = rng.uniform(215, 250, n)
    return tuple(np.ascontiguousarray(a, dtype=float)
                 for a in (sst, tcwv, low_tau, low_top, high_tau, high_top))


def numpy_channels(sst, tcwv, low_tau, low_top, high_tau, high_top, daytime=True):
    """Plain NumPy version of ``slstr_channels``: the module's equations on whole arrays."""
    n = sst.shape[0]
    out = np.empty((n, 9) + sst.shape[1:], dtype=np.float32)
    low_top, high_top = low_top[:, None, None], high_top[:, None, None]
    for c in range(3):
        lam = model.WAVELENGTHS_UM[model.N_REFLECTANCE + c]
        low = -np.expm1(-model.K_CLOUD[0, c] * low_tau)
        high = -np.expm1(-model.K_CLOUD[1, c] * high_tau)
        t = np.exp(-model.K_VAPOUR[c] * tcwv)
        radiance = (1 - low) * model.planck_radiance(sst, lam) + low * model.planck_radiance(
            low_top, lam)
        radiance = t * radiance + (1 - t) * model.planck_radiance(sst - model.AIR_OFFSET_K, lam)
        radiance = (1 - high) * radiance + high * model.planck_radiance(high_top, lam)
        out[:, model.N_REFLECTANCE + c] = model.brightness_temperature(radiance, lam)
    if not daytime:
        out[:, :model.N_REFLECTANCE] = 0.0
        return out

    def layer(tau, albedo):
        t = (1 - model.ASYMMETRY) * tau
        return albedo * t / (2 + t)

    def add(top, below):
        return top + (1 - top) ** 2 * below / (1 - top * below)

    for c in range(model.N_REFLECTANCE):
        high = layer(high_tau, model.CLOUD_ALBEDO[1, c])
        if c == 3:  # 1.375 um sees only the high cloud
            out[:, c] = high
        else:
            below = add(layer(low_tau, model.CLOUD_ALBEDO[0, c]), model.SURFACE_REFLECTANCE[c])
            out[:, c] = add(high, below)
    return out


def surface_channels(sst, tcwv, low_tau, low_top, high_tau, high_top):
    """The measured-like kernel on ``work``'s fields: four surfaces in bands, sun at 40 deg."""
    n, rows, cols = sst.shape
    surface = np.broadcast_to((np.arange(rows) * 4 // rows).astype(np.uint8)[None, :, None],
                              sst.shape).copy()
    scene = [np.full(n, value) for value in (40.0, 30.0, 5.0, 0.1)]
    dust = np.where(np.arange(n) % 4 == 0, 0.5, 0.0)
    out = np.empty((n, 9, rows, cols), dtype=np.float32)
    slstr_surface_kernel(sst, tcwv, low_tau, low_top, high_tau, high_top, surface, *scene, dust,
                         out)
    return out


def seconds(function, repeat):
    """Return (result, smallest wall time over ``repeat`` runs)."""
    timing = metrics.time_per_sample(function, 1, repeats=repeat)
    return timing["result"], timing["min"]


def differences(ours, reference):
    """Largest absolute differences: reflectance (S1-S6) and brightness temperature (K)."""
    difference = np.abs(ours.astype(float) - reference)
    return (float(difference[:, :model.N_REFLECTANCE].max()),
            float(difference[:, model.N_REFLECTANCE:].max()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=N_SCENES, help="scenes for Numba")
    parser.add_argument("--n-numpy", type=int, default=N_SCENES, help="scenes for NumPy")
    parser.add_argument("--n-dataset", type=int, default=1000,
                        help="scenes for make_slstr_scenes (0 to skip)")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    fields = work(args.n)
    slstr_channels(*(a[:1] for a in fields))  # JIT warm-up
    ours, t_numba = seconds(lambda: slstr_channels(*fields), repeat=3)
    m = min(args.n_numpy, args.n)
    reference, t_numpy = seconds(lambda: numpy_channels(*(a[:m] for a in fields)), repeat=1)
    reflectance, bt = differences(ours[:m], reference)
    del ours, reference
    print("| work | engine | scenes | seconds | scenes/s | speedup "
          "| max abs difference (reflectance, K) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    label = f"{SIZE} x {SIZE} daytime scenes, 2 cloud layers"
    print(f"| {label} | numba | {args.n} | {t_numba:.3f} | {args.n / t_numba:.1f} "
          f"| {(args.n / t_numba) / (m / t_numpy):.1f}x | {reflectance:.1e}, {bt:.1e} |")
    print(f"| {label} | numpy | {m} | {t_numpy:.3f} | {m / t_numpy:.1f} | 1x | |", flush=True)
    surface_channels(*(a[:1] for a in fields))  # JIT warm-up
    _, t_surface = seconds(lambda: surface_channels(*fields), repeat=3)
    print(f"| {label}, 4 surfaces, glint, aerosol | numba (measured-like) | {args.n} "
          f"| {t_surface:.3f} | {args.n / t_surface:.1f} | {t_numba / t_surface:.2f}x | |",
          flush=True)
    if args.n_dataset:
        times = {}
        for nuisances in (None, "measured"):
            make_slstr_scenes(2, size=SIZE, nuisances=nuisances, random_state=SEED)  # JIT
            _, times[nuisances] = seconds(lambda: make_slstr_scenes(
                args.n_dataset, size=SIZE, nuisances=nuisances, random_state=SEED), repeat=1)
            print(f"| make_slstr_scenes({args.n_dataset}, size={SIZE}, nuisances={nuisances!r})"
                  f" | numba | {args.n_dataset} | {times[nuisances]:.2f} "
                  f"| {args.n_dataset / times[nuisances]:.1f} "
                  f"| {times[None] / times[nuisances]:.2f}x | |", flush=True)
    print("\nMachine: " + simulator_machine(load, f", numpy {np.__version__}"))


if __name__ == "__main__":
    main()
