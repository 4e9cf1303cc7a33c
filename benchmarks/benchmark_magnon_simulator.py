"""Magnon images: the Numba kernel against a plain NumPy version of it.

The work is ``make_magnons``' images: 128 x 128 momentum-energy slices (128
energy bins from 0 to 9 meV, 128 wavevectors along Gamma-X-(3/4,1/4)-M-Gamma)
with the MARI-like coverage mask, for (J, J') drawn uniformly from the
dataset's ranges with a fixed seed. ``Generate`` times the whole dataset call
at the paper's 29,957 images (the issue's budget: under 60 s on 2 cores);
``Kernel`` times both engines on the same 2,000 images.
``benchmarks/compare_magnon_simulator.py`` prints the same side by side.
"""

import math

import numpy as np
from scipy.special import erf

from sciml_estimators.datasets import magnon_path, make_magnons
from sciml_estimators.datasets._magnons import ENERGY_EDGES, INSTRUMENT, J2_RANGE, J_RANGE
from sciml_estimators.simulators import magnon_slices, mari_coverage
from sciml_estimators.simulators._magnon_intensity import K_B, LATTICE, MN2_J0

N_IMAGES = 2000
PAPER_IMAGES = 29957
SEED = 0
ENGINES = ["numba", "numpy"]


def work(n=N_IMAGES, seed=SEED):
    """(J, J2) of ``n`` images and the shared settings of ``magnon_slices``."""
    rng = np.random.RandomState(seed)
    J, J2 = rng.uniform(*J_RANGE, n), rng.uniform(*J2_RANGE, n)
    h, k, _, _ = magnon_path(128)
    energy = 0.5 * (ENERGY_EDGES[1:] + ENERGY_EDGES[:-1])
    coverage = mari_coverage(h, k, energy[:, None], incident_energy=INSTRUMENT["incident_energy"])
    return J, J2, dict(h=h, k=k, energy_edges=ENERGY_EDGES, coverage=coverage, **INSTRUMENT)


def numpy_magnon_slices(J, J2, *, h, k, energy_edges, S, dz, temperature, resolution_fwhm,
                        incident_energy, coverage):
    """Plain NumPy version of ``magnon_slices``: the same equations as array expressions."""
    J, J2 = J[:, None], J2[:, None]
    sh, sk = np.sin(np.pi * h) ** 2, np.sin(np.pi * k) ** 2
    ch, ck = np.cos(np.pi * h) ** 2, np.cos(np.pi * k) ** 2
    frustration = 2.0 * J2 * (ch * sk + sh * ck)
    a_minus_b = J * dz + J * (sh + sk) - frustration
    a_plus_b = J * dz + J * (ch + ck) - frustration
    omega = 4.0 * S * np.sqrt(np.maximum(a_minus_b * a_plus_b, 0.0))  # (n, n_path)
    s2 = (np.hypot(h, k) / (2.0 * LATTICE)) ** 2  # (Q / 4 pi)^2 with Q = 2 pi |hk| / a
    a, a_exp, b, b_exp, c, c_exp, d = MN2_J0
    form = a * np.exp(-a_exp * s2) + b * np.exp(-b_exp * s2) + c * np.exp(-c_exp * s2) + d
    kt = K_B * temperature
    bose = 1.0 / np.expm1(omega / kt) if kt > 0 else np.zeros_like(omega)
    weight = 0.5 * form**2 * 2.0 * S * S * a_minus_b / omega
    sigma = resolution_fwhm / (2.0 * math.sqrt(2.0 * math.log(2.0)))
    scaled = energy_edges[None, :, None] / (math.sqrt(2.0) * sigma)
    shift = omega[:, None, :] / (math.sqrt(2.0) * sigma)
    create = np.diff(erf(scaled - shift), axis=1)
    destroy = np.diff(erf(scaled + shift), axis=1)
    centres = 0.5 * (energy_edges[1:] + energy_edges[:-1])
    kf_ki = np.sqrt(np.clip(1.0 - centres / incident_energy, 0.0, None))
    images = ((bose + 1.0)[:, None, :] * create + bose[:, None, :] * destroy)
    images *= (weight[:, None, :] * kf_ki[None, :, None] / np.diff(energy_edges)[None, :, None])
    return np.where(coverage, images, 0.0).astype(np.float32)


ENGINE_FUNCTIONS = {"numba": magnon_slices, "numpy": numpy_magnon_slices}


class Kernel:
    """Both engines on the same 2,000 images."""

    params = ENGINES
    param_names = ["engine"]
    timeout = 300

    def setup(self, engine):
        self.J, self.J2, self.settings = work()
        magnon_slices(self.J[:2], self.J2[:2], **self.settings)  # JIT warm-up

    def time_images(self, engine):
        ENGINE_FUNCTIONS[engine](self.J, self.J2, **self.settings)

    def track_max_relative_difference(self, engine):
        ours = magnon_slices(self.J[:200], self.J2[:200], **self.settings)
        other = ENGINE_FUNCTIONS[engine](self.J[:200], self.J2[:200], **self.settings)
        scale = np.abs(ours).max(axis=(1, 2), keepdims=True)
        return float(np.max(np.abs(other - ours) / scale))


class Generate:
    """``make_magnons`` at the paper's size: simulation, mask and Bunch."""

    timeout = 300
    number = 1
    repeat = 3

    def setup(self):
        make_magnons(2, random_state=SEED)  # JIT warm-up

    def time_make_magnons_paper_size(self):
        make_magnons(PAPER_IMAGES, random_state=SEED)

    def peakmem_make_magnons_paper_size(self):
        make_magnons(PAPER_IMAGES, random_state=SEED)
