"""
SAXS: shape and size of a measured profile read from a file
===========================================================

The path a beamline scientist follows. Train
:class:`~sciml_estimators.SAXSClassifier` to tell three particle shapes apart
and :class:`~sciml_estimators.SAXSRegressor` to give the radius of gyration of
spheres, both on noise-added simulated profiles on a fixed q grid. Then read a
"measured" profile from a file with
:func:`~sciml_estimators.datasets.load_saxs_profile`: ASCII columns with q in
1/nm, on the instrument's own grid (wider, linearly spaced) with Poisson
counting noise. Both estimators were built with ``q=`` (the training grid),
so ``predict(..., q=...)`` resamples the measured profile onto it.

The training sets are small (3,000 and 4,000 profiles, a few epochs) so that
this runs in seconds; ``benchmarks/saxs_regression_accuracy.py`` measures the
regressor at full size.
"""

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch

from sciml_estimators import GuinierRegressor, SAXSClassifier, SAXSRegressor
from sciml_estimators.datasets import load_saxs_profile, make_saxs_1d
from sciml_estimators.simulators import sphere_iq

torch.set_num_threads(1)
FLUX = 1000.0  # counts per q bin for 1 1/cm at the largest q, in training and "measurement"

shapes = make_saxs_1d(3000, shapes=["sphere", "cylinder", "parallelepiped"],
                      noise="poisson", flux=FLUX, random_state=0)
spheres = make_saxs_1d(4000, shapes=["sphere"], target="radius", noise="poisson",
                       flux=FLUX, random_state=1)
torch.set_num_threads(1)  # the Numba simulators can reset torch's thread count
q_train = shapes.q  # 300 log-spaced points, 1e-3 to 0.5 1/A

classifier = SAXSClassifier(max_epochs=5, q=q_train, random_state=0)
classifier.fit(shapes.data, shapes.shape_names)
regressor = SAXSRegressor(max_epochs=15, q=q_train, random_state=0)
regressor.fit(spheres.data, spheres.target)

# %%
# The "measurement": spheres of radius 120 A with the training set's contrast,
# counted on a detector whose 1,200 q bins are evenly spaced from 0.008 to
# 6 1/nm (0.0008 to 0.6 1/A), and written as a 3-column ASCII file. The header
# states the q unit; without it ``load_saxs_profile`` refuses to guess and
# asks for ``q_unit=``.
radius = 120.0
rg_true = np.sqrt(3 / 5) * radius
rng = np.random.RandomState(2)
q_measured = np.linspace(8e-4, 0.6, 1200)
exposure = FLUX * q_measured / q_measured[-1]
counts = rng.poisson(exposure * sphere_iq(q_measured, radius=radius, sld=4.0,
                                          sld_solvent=1.0, background=0.001))
intensity, error = counts / exposure, np.sqrt(np.maximum(counts, 1)) / exposure

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "sphere_120A.dat"
    np.savetxt(path, np.column_stack([q_measured * 10, intensity, error]),
               header="q (1/nm)  I (1/cm)  dI (1/cm)")
    profile = load_saxs_profile(path)
print(f"read {profile.q.size} points from {path.name}: q in {profile.q_unit_in_file} "
      f"({profile.metadata['q_unit_source']}), now {profile.q[0]:.4g}-{profile.q[-1]:.4g} 1/A")

# %%
# Shape probabilities and size with its standard deviation. The regressor
# models log(Rg) as Gaussian, so the 95 % interval is
# ``rg * exp(+-1.96 * rg_std / rg)``.
X = profile.intensity[np.newaxis]
probabilities = classifier.predict_proba(X, q=profile.q)[0]
for name, p in zip(classifier.classes_, probabilities):
    print(f"P({name}) = {p:.3f}" + ("  <- truth" if name == "sphere" else ""))
(rg,), (rg_std,) = regressor.predict(X, q=profile.q, return_std=True)
low, high = rg * np.exp(np.array([-1.96, 1.96]) * rg_std / rg)
print(f"Rg = {rg:.1f} +- {rg_std:.1f} A (95 % interval {low:.1f}-{high:.1f} A), "
      f"truth {rg_true:.1f} A")

# %%
# Two checks a scientist makes before believing the number: a Guinier fit of
# the same profile (the physics baseline, no training), and how far the
# profile lies from what the regressor was trained on (above 1: outside, and
# ``predict`` would have warned with an ``OutOfDomainWarning``). Both
# estimators divide each profile by its mean ``|I|``, so the answers do not depend
# on the profile's absolute level, which a measurement does not fix: at a
# hundredth of the intensity the regressor gives the same Rg.
guinier = GuinierRegressor(q=profile.q).fit(X)
(rg_guinier,), (rg_guinier_std,) = guinier.predict(X, return_std=True)
print(f"Guinier fit: Rg = {rg_guinier:.1f} +- {rg_guinier_std:.1f} A; out-of-domain score "
      f"{regressor.out_of_domain_score(X, q=profile.q)[0]:.2f}; Rg at 1 % of the level "
      f"{regressor.predict(X * 0.01, q=profile.q)[0]:.1f} A")

# %%
# A profile that does not reach the training range (here it stops at
# 0.3 1/A, short of 0.5) is refused rather than extrapolated.
short = profile.q <= 0.3
try:
    regressor.predict(X[:, short], q=profile.q[short])
except ValueError as error:
    print(f"ValueError: {error}")

# %%
# The measured profile with the simulated sphere of the predicted size.
radius_pred = rg / np.sqrt(3 / 5)
fig, ax = plt.subplots(figsize=(7, 4.5))
ax.errorbar(profile.q, profile.intensity, profile.uncertainty, fmt=".", ms=2, lw=0.5,
            color="0.5", label="measured (read from file)")
ax.plot(profile.q, sphere_iq(profile.q, radius=radius_pred, sld=4.0, sld_solvent=1.0,
                             background=0.001),
        "C3", label=f"sphere, predicted Rg = {rg:.1f} A")
ax.axvspan(q_train[0], q_train[-1], color="C0", alpha=0.08, label="training q range")
ax.set(xscale="log", yscale="log", xlabel="q (1/A)", ylabel="I(q) (1/cm)",
       ylim=(intensity[intensity > 0].min() / 2, intensity.max() * 2),
       title=f"truth: sphere, Rg = {rg_true:.1f} A")
ax.legend(loc="lower left")
fig.tight_layout()
plt.show()
