"""
DMS patterns: Kossel lines, the azimuth psi and the crystal's symmetry
======================================================================

What the DMS networks see. :func:`~sciml_estimators.simulators.dms_pattern`
draws the Kossel lines of a silicon (001) crystal on the area detector; as the
crystal turns about its surface normal by psi the lines sweep across it, and
after :func:`~sciml_estimators.simulators.dms_symmetry_period` (90 degrees
here) the pattern repeats, which is why
:class:`~sciml_estimators.DMSAngleRegressor` predicts psi on a circle. The
last row shows other crystals and surfaces, and what
:func:`~sciml_estimators.datasets.make_dms` adds to a training pattern.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sciml_estimators.datasets import make_dms
from sciml_estimators.simulators import dms_pattern, dms_symmetry_period

SHAPE = (96, 96)  # detector pixels; the dataset's default is 128 x 128
period = dms_symmetry_period("Si", surface=(0, 0, 1))
print(f"Si (001): the pattern repeats every {period:g} degrees of psi")

# %%
# Si (001) at five azimuths: 0 and 90 degrees give the same pattern.
psis = np.array([0.0, 22.5, 45.0, 67.5, 90.0])
patterns = dms_pattern(psis, crystal="Si", shape=SHAPE)
fig, axes = plt.subplots(2, 5, figsize=(15, 6.4))
for ax, psi, pattern in zip(axes[0], psis, patterns):
    ax.imshow(pattern, cmap="gray_r", vmax=np.quantile(pattern, 0.995))
    ax.set(title=f"Si (001), psi = {psi:g}°", xticks=[], yticks=[])
print(f"largest difference between psi = 0 and psi = 90: "
      f"{np.abs(patterns[0] - patterns[-1]).max():.2e}")

# %%
# Other crystals and surfaces have other periods, and a training pattern of
# ``make_dms`` is tilted slightly, its energy jittered, and (here) counted
# with Poisson noise.
others = [("Ge", (1, 1, 1)), ("Cu", (1, 1, 0)), ("Mg", (0, 0, 1)), ("TiO2", (0, 0, 1))]
for ax, (crystal, surface) in zip(axes[1], others):
    pattern = dms_pattern(10.0, crystal=crystal, surface=surface, shape=SHAPE)
    ax.imshow(pattern, cmap="gray_r", vmax=np.quantile(pattern, 0.995))
    period = dms_symmetry_period(crystal, surface=surface)
    ax.set(title=f"{crystal} {surface}: period {period:g}°", xticks=[], yticks=[])
noisy = make_dms(1, shape=SHAPE, noise="poisson", random_state=0)
axes[1, -1].imshow(noisy.data[0], cmap="gray_r")
axes[1, -1].set(title=f"make_dms, psi = {noisy.target[0]:.1f}°", xticks=[], yticks=[])
fig.tight_layout()
plt.show()
