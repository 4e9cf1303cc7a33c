"""
Magnons: predict J and J' of a "measured" spectrum, with uncertainty
====================================================================

Train :class:`~sciml_estimators.MagnonCouplingRegressor` on noise-added
simulated images, then apply it to a spectrum it has not seen the like of: the
literature couplings of Rb2MnF4 measured with fewer counts and more
background than the training set, as a real measurement differs from a
simulation. The prediction comes with a calibrated standard deviation; the
dispersion it implies is drawn over the data.

This example trains on 400 images for 4 epochs so that it runs in about half a
minute; ``benchmarks/magnon_accuracy.py`` runs the paper's scale.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sciml_estimators import MagnonCouplingRegressor
from sciml_estimators.datasets import make_magnons
from sciml_estimators.simulators import magnon_dispersion

train = make_magnons(400, noise="poisson", flux=20.0, background=0.05, random_state=0)
regressor = MagnonCouplingRegressor(max_epochs=4, lr=3e-3, random_state=0)
regressor.fit(train.data, train.target)

# %%
# The "measurement": literature couplings, 8 counts per unit intensity instead
# of 20, and three times the background.
J, J2 = 0.6544, 0.012
measured = make_magnons(1, J_range=(J, J), J2_range=(J2, J2), noise="poisson", flux=8.0,
                        background=0.15, random_state=1)
(J_pred, J2_pred), (J_std, J2_std) = (row[0] for row in regressor.predict(
    measured.data, return_std=True))
print(f"J  = {J_pred:.4f} +- {J_std:.4f} meV (truth {J}, paper's prediction 0.6763)")
print(f"J' = {J2_pred:.4f} +- {J2_std:.4f} meV (truth {J2}, paper's prediction 0.0104)")

# %%
# The measured slice with the dispersion of the predicted couplings.
fig, ax = plt.subplots(figsize=(7, 4))
extent = [measured.path_distance[0], measured.path_distance[-1],
          measured.energy_edges[0], measured.energy_edges[-1]]
ax.imshow(np.ma.masked_where(~measured.mask, measured.data[0]), origin="lower",
          aspect="auto", extent=extent, cmap="viridis", vmax=3.0)
energy = magnon_dispersion(measured.h, measured.k, J=J_pred, J2=J2_pred)
ax.plot(measured.path_distance, energy, "w--", lw=1, label="predicted dispersion")
ax.set_xticks(list(measured.path_ticks.values()),
              [name.replace("Gamma'", "Γ").replace("Gamma", "Γ") for name in measured.path_ticks])
ax.set(ylabel="energy transfer (meV)", title="simulated measurement, 8 counts / unit")
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()
