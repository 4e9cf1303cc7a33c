"""FLImP images: ``make_flimp_images`` at 512 x 512 pixels, one frame, noise included.

``benchmarks/flimp_simulation_speed.py`` prints the same per image, with its parts.
"""

import time

from sciml_estimators.datasets import make_flimp_images

N_IMAGES = 10
SHAPE = (512, 512)
SEED = 0


class Generate:
    """``make_flimp_images(10, shape=(512, 512))``: layout, spots, background, EMCCD noise."""

    number = 1
    repeat = 5
    timeout = 120

    def setup(self):
        make_flimp_images(1, shape=SHAPE, random_state=SEED)  # JIT warm-up

    def time_make_flimp_images(self):
        make_flimp_images(N_IMAGES, shape=SHAPE, random_state=SEED)

    def peakmem_make_flimp_images(self):
        make_flimp_images(N_IMAGES, shape=SHAPE, random_state=SEED)

    def track_images_per_second(self):
        start = time.perf_counter()
        make_flimp_images(N_IMAGES, shape=SHAPE, random_state=SEED)
        return N_IMAGES / (time.perf_counter() - start)

    track_images_per_second.unit = "images/s"
