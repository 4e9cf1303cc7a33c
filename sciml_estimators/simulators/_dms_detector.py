r"""A Pilatus-like detector and the sample's X-ray constants for measured-like DMS patterns.

What the measured-like kernel (:mod:`._dms_measured`) needs to know about the
hardware and the crystal, with its sources:

- **Module gaps.** A Pilatus detector is tiled with modules of 487 x 195
  pixels of 172 um (83.764 x 33.540 mm), 7 pixels (1.204 mm) apart along x
  and 17 pixels (2.924 mm) along y, where nothing is detected (Kraft et al.
  2009; Broennimann et al. 2006). The 128 x 128 image of 0.75 mm pixels keeps
  the gaps' size in millimetres, not in pixels: a pixel is in a gap when its
  centre is, so a 1.204 mm gap takes 1 or 2 columns and a 2.924 mm one 3 or 4
  rows. One module is centred on the detector's centre (the image's 96 mm
  span holds one column gap on each side near the edges and two row gaps).
- **Counter.** Each pixel counts up to :math:`2^{20} - 1` photons per frame
  (Kraft et al. 2009), ``COUNTER_MAX``: the saturation of a pixel.
- **Energy threshold.** A Pilatus counts only photons above its threshold,
  set to half the beam energy as the manufacturer recommends
  (``THRESHOLD_FRACTION``); so a crystal's fluorescence is counted when its
  K-alpha-1 line is above half the beam energy.
- **K edges and lines** of the crystals' elements, ``K_SHELL``: K-shell
  binding energy and K-alpha-1 energy in keV, from the X-ray Data Booklet
  (Thompson et al. 2009, tables 1-1 and 1-2).
- **Thermal vibration.** Thermal diffuse scattering grows with
  :math:`1 - e^{-2Bs^2}`, :math:`s = \sin\theta/\lambda` (Warren 1969, ch.
  11), with the Debye-Waller factor :math:`B = 0.4632` Angstrom^2 of Si at
  room temperature (Flensburg and Stewart 1999), ``DEBYE_WALLER_B``.
- **Compton scattering** grows with :math:`s` as the incoherent scattering
  function :math:`S(s)/Z`, which rises from 0 at :math:`s = 0` to 1 above
  about 1 /Angstrom for light elements (Hubbell et al. 1975); the kernel uses
  :math:`1 - e^{-s/s_0}` with :math:`s_0` = ``COMPTON_S0`` = 0.25 /Angstrom,
  an approximation of that rise, times the unpolarised Thomson factor
  :math:`(1 + \cos^2 2\theta)/2`.
- **Beam stop.** The incident beam reaches the sample through the detector
  (back-reflection), inside a collimator whose shadow is a disc of radius
  ``radius_mm`` about the beam's point on the detector, held by an arm of
  width ``arm_width_mm`` running to the detector's edge at ``arm_angle_deg``
  (from the detector's x axis, counter-clockwise), ``BEAMSTOP``; typical
  beam-stop sizes of a few millimetres, assumed here.

References
----------
.. [1] P. Kraft et al., "Performance of single-photon-counting PILATUS
   detector modules", *J. Synchrotron Rad.* 16, 368-375 (2009).
.. [2] Ch. Broennimann et al., "The PILATUS 1M detector",
   *J. Synchrotron Rad.* 13, 120-130 (2006).
.. [3] A. C. Thompson et al., *X-ray Data Booklet*, 3rd ed., LBNL (2009).
.. [4] B. E. Warren, *X-ray Diffraction*, Addison-Wesley (1969).
.. [5] C. Flensburg and R. F. Stewart, "Lattice dynamical Debye-Waller
   factor for silicon", *Phys. Rev. B* 60, 284-291 (1999).
.. [6] J. H. Hubbell et al., "Atomic form factors, incoherent scattering
   functions, and photon scattering cross sections", *J. Phys. Chem. Ref.
   Data* 4, 471-538 (1975).
"""

import numpy as np

from ._crystals import check_crystal

__all__ = ["module_gaps"]

#: Pilatus module and gaps in mm: 487 x 195 pixels of 0.172 mm, gaps of 7 and 17 pixels.
MODULE_MM = (487 * 0.172, 195 * 0.172)
GAP_MM = (7 * 0.172, 17 * 0.172)
COUNTER_MAX = 2**20 - 1
THRESHOLD_FRACTION = 0.5
DEBYE_WALLER_B = 0.4632
COMPTON_S0 = 0.25
BEAMSTOP = {"radius_mm": 2.0, "arm_width_mm": 1.0, "arm_angle_deg": 270.0}
#: Z -> (K-shell binding energy, K-alpha-1 energy) in keV.
K_SHELL = {8: (0.543, 0.525), 12: (1.303, 1.254), 14: (1.839, 1.740), 22: (4.966, 4.511),
           29: (8.979, 8.048), 32: (11.103, 9.886), 38: (16.105, 14.165)}


def module_gaps(shape, pixel_mm):
    """Which pixels of an image of ``shape`` with ``pixel_mm`` pixels lie in a module gap.

    Parameters
    ----------
    shape : tuple of int
        (rows, columns) of the image; rows run along y, columns along x.
    pixel_mm : float
        Pixel size in mm.

    Returns
    -------
    gaps : ndarray of bool, shape (rows, columns)
        True where the pixel's centre is in a gap between Pilatus modules
        (module and gap sizes in mm as in the module documentation, one
        module centred on the image's centre).

    Raises
    ------
    ValueError
        If ``pixel_mm`` is not a finite positive number.

    Examples
    --------
    >>> from sciml_estimators.simulators._dms_detector import module_gaps
    >>> gaps = module_gaps((128, 128), 0.75)
    >>> [int(n) for n in gaps.all(axis=1).nonzero()[0]]
    [38, 39, 40, 41, 86, 87, 88, 89]
    >>> [int(n) for n in gaps.all(axis=0).nonzero()[0]]
    [7, 120]
    """
    if not np.isfinite(pixel_mm) or pixel_mm <= 0:
        raise ValueError(f"pixel_mm must be a finite positive number; got {pixel_mm!r}.")
    rows, cols = shape
    masks = []
    for n, module, gap in ((cols, MODULE_MM[0], GAP_MM[0]), (rows, MODULE_MM[1], GAP_MM[1])):
        centres = (np.arange(n) - (n - 1) / 2) * pixel_mm + module / 2
        masks.append(np.mod(centres, module + gap) >= module)
    return masks[1][:, None] | masks[0][None, :]


def fluorescence_lines(crystal):
    """K edges and K-alpha-1 energies (keV, two arrays) of ``crystal``'s elements."""
    _, atoms, _ = check_crystal(crystal)
    shells = np.array([K_SHELL[z] for z in sorted({z for z, _ in atoms})])
    return np.ascontiguousarray(shells[:, 0]), np.ascontiguousarray(shells[:, 1])
