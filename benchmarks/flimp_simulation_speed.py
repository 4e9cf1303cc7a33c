"""Time to simulate one FLImP field of view of 512 x 512 pixels, noise included.

Times ``make_flimp_images(1, shape=(512, 512), random_state=seed)`` (cells,
densities, spots, background, illumination, EMCCD noise, the rule) for
``--repeats`` seeds after one untimed warm-up call (Numba's compilation or
cache load), and the parts of it: the layout (``draw_scene``), the spots and
expected image, and the camera noise on one thread and in two bands of rows on
two threads, as ``make_flimp_images`` draws it (numpy releases the GIL in its
draws: on two free cores the bands take half the time; on a loaded machine
the threads only compete). Prints the medians in ms (and the CPU
time of the whole: what a loaded machine's wall clock inflates), with the
threads Numba may use, the cores and the 1-minute load average at start and
end (the issue's target: under 50 ms per image on 2 cores).

    python benchmarks/flimp_simulation_speed.py [--repeats 30]

``benchmark_flimp_simulator.py`` is the asv suite timing the same call.
"""

import argparse
from concurrent.futures import ThreadPoolExecutor
import os
import statistics
import time

import numba
import numpy as np

from sciml_estimators.datasets import make_flimp_images
from sciml_estimators.datasets._flimp import _simulate
from sciml_estimators.datasets._flimp_camera import emccd_adu
from sciml_estimators.datasets._flimp_scenes import GLASS_LEVEL, draw_scene, spot_positions
from sciml_estimators.simulators._flimp import (
    PIXEL_SIZE_UM,
    PSF_SIGMA_UM,
    flimp_expected_image,
    render_spots,
)

SHAPE = (512, 512)
THREADS = ThreadPoolExecutor(2)
pixels_of = {0: np.random.Generator(np.random.SFC64(1)),
             SHAPE[0] // 2: np.random.Generator(np.random.SFC64(2))}


def _median_ms(function, repeats):
    """Median wall-clock and CPU (this process) time in ms of ``function(seed)``."""
    wall, cpu = [], []
    for seed in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        function(seed)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return 1e3 * statistics.median(wall), 1e3 * statistics.median(cpu)


def _parts(seed):
    """Each part once on seed ``seed``: {name: seconds}."""
    rng = np.random.RandomState(seed)
    pixels = np.random.Generator(np.random.SFC64(seed))
    start = time.perf_counter()
    scene = draw_scene(rng, SHAPE, PIXEL_SIZE_UM)
    laid_out = time.perf_counter()
    centres = spot_positions(pixels, scene.density * PIXEL_SIZE_UM**2)
    spots = render_spots(SHAPE, centres[:, 0], centres[:, 1], 300.0, PSF_SIGMA_UM / PIXEL_SIZE_UM)
    expected = flimp_expected_image(scene.cells, scene.cell_levels, GLASS_LEVEL, scene.blobs,
                                    spots, scene.beam_centre, scene.beam_waist)
    rendered = time.perf_counter()
    frame = np.empty(SHAPE, dtype=np.float32)
    emccd_adu(expected, pixels, frame)
    serial = time.perf_counter()
    bands = [slice(0, SHAPE[0] // 2), slice(SHAPE[0] // 2, SHAPE[0])]
    list(THREADS.map(lambda band: emccd_adu(expected[band], pixels_of[band.start], frame[band]),
                     bands))
    end = time.perf_counter()
    return {"layout": laid_out - start, "spots + expected image": rendered - laid_out,
            "EMCCD noise, one thread": serial - rendered,
            "EMCCD noise, two bands on two threads (as make_flimp_images)": end - serial}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    repeats = parser.parse_args().repeats
    load_start = os.getloadavg()[0]
    make_flimp_images(1, shape=SHAPE, random_state=0)  # warm-up
    whole, whole_cpu = _median_ms(lambda seed: make_flimp_images(1, shape=SHAPE, random_state=seed),
                       repeats)
    batch = 1e3 * min(_batch_seconds(10) for _ in range(3)) / 10
    parts = [_parts(seed) for seed in range(repeats)]
    print(f"make_flimp_images(1, shape={SHAPE}): median {whole:.1f} ms wall clock, "
          f"{whole_cpu:.1f} ms CPU, over {repeats} seeds")
    print(f"make_flimp_images(10, ...) per image: {batch:.1f} ms (best of 3)")
    for name in parts[0]:
        print(f"  {name}: median {1e3 * statistics.median(p[name] for p in parts):.1f} ms")
    print(f"cores {os.cpu_count()}, numba threads {numba.get_num_threads()}, "
          f"load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end")


def _batch_seconds(n):
    start = time.perf_counter()
    _simulate(n, SHAPE, 1, np.random.RandomState(0), False)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
