"""
SAXS profiles by shape: five particles, their sizes, polydispersity and smearing
================================================================================

What a SAXS profile says about a particle: the five shapes of
:mod:`sciml_estimators.simulators` at one radius of gyration, one shape at
several sizes, and what a size distribution
(:func:`~sciml_estimators.simulators.polydisperse_iq`) and an instrument's
resolution (:func:`~sciml_estimators.simulators.pinhole_smear`) do to it.
Every curve is one batched simulator call, so this runs in about a second.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sciml_estimators.simulators import (
    core_shell_sphere_iq,
    cylinder_iq,
    ellipsoid_iq,
    parallelepiped_iq,
    pinhole_smear,
    polydisperse_iq,
    sphere_iq,
)

q = np.geomspace(1e-3, 0.5, 300)  # 1/A, the grid of make_saxs_1d
contrast = dict(sld=4.0, sld_solvent=1.0, background=0.001)

# %%
# Five shapes with radii of gyration between 57 and 71 A. At low q they
# agree (Guinier: I(q) ~ I(0) exp(-q^2 Rg^2 / 3)); past q Rg ~ 1 the shape
# shows: the sphere's and the hollow shell's sharp minima, spaced by their
# outer radius, and the smoother decay of the elongated particles, whose
# orientation average washes the minima out.
profiles = {
    "sphere, R = 77 A": sphere_iq(q, radius=77.5, **contrast),
    "cylinder, R = 20 A, L = 200 A": cylinder_iq(q, radius=20.0, length=200.0, **contrast),
    "ellipsoid, 30 x 30 x 120 A": ellipsoid_iq(q, radius_polar=120.0, radius_equatorial=30.0,
                                               **contrast),
    "parallelepiped, 35 x 75 x 180 A": parallelepiped_iq(q, length_a=35.0, length_b=75.0,
                                                         length_c=180.0, **contrast),
    "hollow shell, 60 to 80 A": core_shell_sphere_iq(q, radius=60.0, thickness=20.0,
                                                         sld_core=1.0, sld_shell=4.0,
                                                         sld_solvent=1.0, background=0.001),
}
fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
for label, intensity in profiles.items():
    axes[0].loglog(q, np.ravel(intensity), label=label)
axes[0].set(title="five shapes", xlabel="q (1/Å)", ylabel="I(q) (1/cm)", ylim=(1e-4, None))
axes[0].legend(fontsize=7)

# %%
# One shape, several sizes: the curve slides along q as 1/R, so a network
# that tells shapes apart has to look past the size.
radii = np.geomspace(10, 500, 6)
for radius, intensity in zip(radii, sphere_iq(q, radius=radii, **contrast)):
    axes[1].loglog(q, intensity, label=f"R = {radius:.0f} Å")
axes[1].set(title="spheres of six radii", xlabel="q (1/Å)", ylim=(1e-4, None))
axes[1].legend(fontsize=7)

# %%
# A Schulz size distribution of relative width 0.1 fills the sphere's minima,
# and Gaussian pinhole smearing with dq/q = 0.05 blurs them further.
radius = 120.0
ideal = sphere_iq(q, radius=radius, **contrast)


def schulz_spheres(q, **params):
    """Spheres with a Schulz distribution of radii, 10 % wide."""
    return polydisperse_iq(sphere_iq, q, "radius", pd=0.1, kind="schulz", **params)


polydisperse = schulz_spheres(q, radius=radius, **contrast)
smeared = pinhole_smear(schulz_spheres, q, 0.05, radius=radius, **contrast)
for label, intensity in [("monodisperse", ideal), ("Schulz, pd = 0.1", polydisperse),
                         ("and dq/q = 0.05", smeared)]:
    axes[2].loglog(q, np.ravel(intensity), label=label)
axes[2].set(title="R = 120 Å sphere", xlabel="q (1/Å)", ylim=(1e-4, None))
axes[2].legend(fontsize=7)
fig.tight_layout()
plt.show()
