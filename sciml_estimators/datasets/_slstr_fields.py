r"""Random fields of the SLSTR scenes: smooth k^-3 and cloud-like k^-8/3, and their levels.

Smooth fields have the power spectrum :math:`P(k) \propto k^{-3}` up to 16
cycles per scene (``SMOOTH_MODES``); cloud fields :math:`k^{-8/3}`. Both are
periodic (FFT synthesis, complex white noise filtered by :math:`\sqrt{P}`:
its real and imaginary parts give two independent fields).
"""

import numpy as np
import scipy.fft

CLOUD_SLOPE = 8.0 / 3.0
SMOOTH_SLOPE = 3.0
SMOOTH_MODES = 16  # cycles per scene drawn for smooth fields


def _spectrum(size, slope):
    """Amplitude sqrt(P(k)) on the FFT grid, P(k) = k^-slope (k in cycles per scene)."""
    k = np.fft.fftfreq(size, 1.0 / size)
    k = np.hypot(k[:, None], k[None, :])
    k[0, 0] = np.inf  # no mean
    return (k ** (-0.5 * slope)).astype(np.float32)


def _complex_normal(rng, shape):
    """Complex64 white noise, real and imaginary parts standard normal."""
    return rng.standard_normal(shape + (2,), dtype=np.float32).view(np.complex64)[..., 0]


def unit_rms(field):
    """1 / r.m.s. of each scene of zero-mean fields (c, H, W), shape (c, 1, 1)."""
    rms = np.sqrt(np.einsum("ijk,ijk->i", field, field, dtype=np.float64) / field[0].size)
    return (1.0 / np.where(rms > 0, rms, 1.0)).astype(np.float32)[:, None, None]


def smooth_fields(rng, count, size, pairs=2):
    """``pairs`` pairs of independent smooth fields, (count, pairs, size, size) complex64.

    Only modes up to ``SMOOTH_MODES`` cycles per scene are drawn: the rest
    of a k^-3 spectrum holds little variance.
    """
    k = np.fft.fftfreq(size, 1.0 / size)
    kept = np.flatnonzero(np.abs(k) <= SMOOTH_MODES)
    amplitude = _spectrum(size, SMOOTH_SLOPE)[np.ix_(kept, kept)]
    spectrum = np.zeros((count, pairs, size, size), dtype=np.complex64)
    spectrum[:, :, kept[:, None], kept[None, :]] = (
        _complex_normal(rng, (count, pairs, kept.size, kept.size)) * amplitude)
    return scipy.fft.ifft2(spectrum, workers=-1, overwrite_x=True)


def cloud_fields(rng, count, size):
    """Two independent k^-8/3 fields per scene as one complex64 array (count, size, size)."""
    spectrum = _complex_normal(rng, (count, size, size))
    spectrum *= _spectrum(size, CLOUD_SLOPE)
    return scipy.fft.ifft2(spectrum, workers=-1, overwrite_x=True)


def _cuts(field, fraction):
    """Per scene of ``field`` (c, H, W), the level with ``fraction`` of the pixels above it.

    Returns the levels, shape (c, 1, 1) (inf where none lie above), and the
    number of pixels above, shape (c,).
    """
    flat = np.sort(field.reshape(field.shape[0], -1), axis=1)
    pixels = flat.shape[1]
    above = np.rint(fraction * pixels).astype(np.intp)
    index = np.clip(pixels - above - 1, 0, pixels - 1)
    cut = np.take_along_axis(flat, index[:, None], axis=1)[:, :, None]
    return np.where((above > 0)[:, None, None], cut, np.float32(np.inf)), above


def above_level(field, fraction):
    """Mask of the ``fraction`` of each scene's pixels where ``field`` (c, H, W) is highest."""
    cut, above = _cuts(field, fraction)
    mask = field > cut
    mask[above == field[0].size] = True
    return mask


def threshold(field, fraction, scale):
    """Optical depth scale * (g - g_c) above the quantile g_c leaving ``fraction`` above.

    ``field`` (c, H, W) has zero mean; g is it in units of its r.m.s.
    """
    scale = scale.astype(np.float32)[:, None, None] * unit_rms(field)
    cut, _ = _cuts(field, fraction)
    tau = field - cut
    np.maximum(tau, 0.0, out=tau)
    tau *= scale
    return tau
