"""
Magnons: why the images are momentum-energy slices
==================================================

The paper fed its CNN "a 2D map of integrated energy" over the (h, k) plane.
This example shows why :func:`~sciml_estimators.datasets.make_magnons` uses
momentum-energy slices instead: the integrated map hardly changes with J, the
slice shows J as the band's energy scale, and J' as the tilt of the zone
boundary between X and (3/4, 1/4).
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sciml_estimators.datasets import make_magnons
from sciml_estimators.simulators import magnon_slices

magnons = make_magnons(1, random_state=0)
settings = dict(h=magnons.h, k=magnons.k, energy_edges=magnons.energy_edges,
                **magnons.instrument)
extent = [magnons.path_distance[0], magnons.path_distance[-1],
          magnons.energy_edges[0], magnons.energy_edges[-1]]


def label_path(ax):
    ax.set_xticks(list(magnons.path_ticks.values()),
                  [name.replace("Gamma'", "Γ").replace("Gamma", "Γ")
                   for name in magnons.path_ticks])
    ax.set_ylabel("energy transfer (meV)")


# %%
# Two corners of the training range, with the MARI-like coverage mask: J
# stretches the band from the gap at M to the zone boundary; the white
# regions are bins no detector reaches during the rotation scan.
corners = [(0.5, 0.0), (0.8, 0.03)]
images = magnon_slices(*np.transpose(corners), coverage=magnons.mask, **settings)
fig, axes = plt.subplots(1, 3, figsize=(14, 4))
for ax, image, (J, J2) in zip(axes, images, corners):
    shown = np.ma.masked_where(~magnons.mask, np.arcsinh(image / 0.02))
    ax.imshow(shown, origin="lower", aspect="auto", extent=extent, cmap="viridis")
    ax.set_title(f"J = {J} meV, J' = {J2} meV")
    label_path(ax)

# %%
# What J' does at fixed J: J' = 0.03 meV lowers the upper band, twice as much
# at X (by 8SJ' = 0.6 meV) as at (3/4, 1/4) (by 4SJ'), so the zone boundary
# between them, flat at J' = 0, tilts.
pair = magnon_slices([0.65, 0.65], [0.03, 0.0], **settings)
difference = pair[0] - pair[1]
limit = np.abs(difference).max()
axes[2].imshow(difference, origin="lower", aspect="auto", extent=extent, cmap="RdBu_r",
               vmin=-limit, vmax=limit)
axes[2].set_title("J' = 0.03 minus J' = 0 (J = 0.65 meV)")
label_path(axes[2])
fig.tight_layout()

# %%
# The energy-integrated intensity along the path for couplings in the same
# ratio J'/J: integrated maps (the paper's input) differ by a few percent
# (Bose and k_f/k_i factors), while the slices' band tops differ by 3 meV.
fig, ax = plt.subplots(figsize=(6, 3.5))
width = np.diff(magnons.energy_edges)[:, None]
for J in (0.5, 0.8):
    image = magnon_slices(J, 0.015 * J / 0.5, incident_energy=1e9, temperature=0.0,
                          **{key: value for key, value in settings.items()
                             if key not in ("incident_energy", "temperature")})[0]
    ax.plot(magnons.path_distance, (image * width).sum(axis=0), label=f"J = {J} meV")
ax.set(ylabel="energy-integrated intensity", yscale="log",
       title="energy-integrated: J's scale is lost")
label_path(ax)
ax.set_ylabel("energy-integrated intensity")
ax.legend()
fig.tight_layout()
plt.show()
