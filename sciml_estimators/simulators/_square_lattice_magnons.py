r"""Magnons of the square-lattice Heisenberg antiferromagnet (Rb2MnF4).

Definition
----------

The Mn2+ moments (:math:`S = 5/2`) of Rb2MnF4 form a square lattice,
Mn-Mn distance :math:`a = 4.215` Angstrom, with the Hamiltonian (each bond
counted once, :math:`J > 0` antiferromagnetic)

.. math::

    H = J \sum_{\langle ij \rangle} \left[ S_i^x S_j^x + S_i^y S_j^y
        + (1 + d_z) S_i^z S_j^z \right]
        + J' \sum_{\langle\langle ij \rangle\rangle} \mathbf{S}_i \cdot \mathbf{S}_j ,

where the effective Ising anisotropy :math:`d_z` stands in for the dipolar
gap. Linear spin-wave theory about the Neel state with the moments along
:math:`c` gives, with :math:`h, k` in reciprocal-lattice units of the
chemical cell,

.. math::

    \gamma_1 = \tfrac{1}{2}(\cos 2\pi h + \cos 2\pi k), \qquad
    \gamma_2 = \cos 2\pi h \cos 2\pi k,

    A = 4JS(1 + d_z) - 4J'S(1 - \gamma_2), \qquad B = 4JS\gamma_1, \qquad
    \hbar\omega = \sqrt{A^2 - B^2} = \sqrt{(A - B)(A + B)} .

The two factors are evaluated with :math:`s_h = \sin^2 \pi h`,
:math:`c_h = \cos^2 \pi h` (and likewise for :math:`k`) as

.. math::

    A \mp B = 4S \left[ J d_z + J (s_h + s_k \text{ or } c_h + c_k)
              - 2J' (c_h s_k + s_h c_k) \right],

which is exact algebra and keeps full relative precision at the gap, where
:math:`A - B` (at :math:`\Gamma`) or :math:`A + B` (at :math:`M`) is small.
Closed forms: the gap :math:`\hbar\omega(0, 0) = \hbar\omega(\tfrac12, \tfrac12)
= 4JS\sqrt{2 d_z + d_z^2}`, and along the zone boundary
:math:`\hbar\omega(\tfrac12, 0) = 4S[J(1 + d_z) - 2J']`,
:math:`\hbar\omega(\tfrac14, \tfrac14) = 4S[J(1 + d_z) - J']`.

Stability. With :math:`x = \cos 2\pi h`, :math:`y = \cos 2\pi k`, both
:math:`A - B` and :math:`A + B` are bilinear in :math:`(x, y)`, so over the
zone their minima lie at corners of :math:`[-1, 1]^2`:
:math:`A - B` takes :math:`4SJd_z` at :math:`\Gamma = (0, 0)`,
:math:`4SJ(2 + d_z)` at :math:`M = (\tfrac12, \tfrac12)` and
:math:`4S[J(1 + d_z) - 2J']` at :math:`X = (\tfrac12, 0)`; :math:`A + B` swaps
:math:`\Gamma` and :math:`M`. Both factors are therefore non-negative
everywhere if and only if :math:`d_z \ge 0` and
:math:`J'/J \le (1 + d_z)/2`. Otherwise a factor is negative at
:math:`\Gamma` (easy-plane, :math:`d_z < 0`) or at :math:`X`, while the other
factor changes sign between :math:`\Gamma` and :math:`X`, so that
:math:`A^2 < B^2` somewhere in the zone: the instability sets in as the soft
mode :math:`\hbar\omega(\tfrac12, 0) \to 0` at :math:`X`, when the
next-nearest-neighbour frustration :math:`J'/J` reaches :math:`(1 + d_z)/2`.
:func:`magnon_dispersion` refuses such parameters; at the limit itself
:math:`A^2 - B^2 \ge 0` with a zero mode at :math:`X`, which is accepted.

Validation
----------

The closed forms above are tested to 1e-12 relative. The test compares
with the Rust LSWT package ``pyspinw`` (PyPI, pre-release 1.1.0b2 in the
``test`` extra; ``pip install --pre pyspinw``, since pip and
``pip index versions`` skip pre-releases without ``--pre``): the Neel state
in pyspinw's sqrt(2) x sqrt(2) cell (up spin at (0, 0, 0), down spin at
(1/2, 1/2, 0)), the nearest-neighbour bonds as ``DiagonalExchange`` (J, J,
J(1 + dz)) and the next-nearest-neighbour ones as ``HeisenbergExchange``,
each bond once, as here (pyspinw adds the reversed coupling itself). At 45
points :math:`(h, k)` (random, plus the high-symmetry points) for four parameter
sets, both positive modes of the doubled cell (the chemical-cell modes at
:math:`(h, k)` and :math:`(h + \tfrac12, k + \tfrac12)`, which are
degenerate) agree with :func:`magnon_dispersion` to at most 5.7e-11 relative
(at the gap, where pyspinw's 1e-12 diagonal shift that splits degenerate
modes is amplified by :math:`A/\omega`; tested to 1e-8). A second test uses a
generic Holstein-Primakoff builder that takes the bond list of the
two-sublattice cell (exchange matrices, local spin frames), forms the 4x4
bosonic Hamiltonian :math:`M(\mathbf{k})` and diagonalises :math:`gM` with
:math:`g = \mathrm{diag}(1, 1, -1, -1)` numerically with numpy. Agreement at
random :math:`(h, k)` over the range in ``PARAMETERS`` is better than 3e-14
relative (tested to 1e-10). ``REFERENCE`` holds values computed with
``mpmath`` at 40 digits from the formulas above.

References
----------

.. [1] L. J. de Jongh and A. R. Miedema, "Experiments on simple magnetic model
   systems", *Adv. Phys.* 23, 1-260 (1974).
.. [2] R. A. Cowley, G. Shirane, R. J. Birgeneau and H. J. Guggenheim, "Spin
   fluctuations in random magnetic-nonmagnetic two-dimensional
   antiferromagnets. I. Dispersion relations", *Phys. Rev. B* 15, 4292-4302
   (1977); literature values J = 0.6544(14) meV, J' = 0.012(2) meV.
"""

import math

import numpy as np
from numba import njit

__all__ = ["magnon_dispersion"]

#: (name, units, default, (low, high), description). ``J`` and ``J2`` are
#: required by :func:`magnon_dispersion` (default ``None``); (low, high) is
#: the range the dataset samples, and S and dz are held at Rb2MnF4's values.
PARAMETERS = [
    ("J", "meV", None, (0.5, 0.8),
     "Nearest-neighbour exchange (antiferromagnetic, > 0); Rb2MnF4: 0.6544"),
    ("J2", "meV", None, (0.0, 0.03),
     "Next-nearest-neighbour exchange J'; Rb2MnF4: 0.012"),
    ("S", "", 2.5, (2.5, 2.5), "Spin length (Mn2+: 5/2)"),
    ("dz", "", 0.0048, (0.0048, 0.0048),
     "Ising anisotropy of the nearest-neighbour bond (dipolar gap)"),
]


@njit(cache=True, error_model="numpy")
def lswt_factors(h, k, J, J2, dz):
    """Return ((A - B) / 4S, (A + B) / 4S) in meV at one (h, k) in r.l.u."""
    # Reduce to [-1/2, 1/2]: exact in floating point, and keeps pi*h small.
    h = h - math.floor(h + 0.5)
    k = k - math.floor(k + 0.5)
    sh = math.sin(math.pi * h) ** 2
    sk = math.sin(math.pi * k) ** 2
    ch = math.cos(math.pi * h) ** 2
    ck = math.cos(math.pi * k) ** 2
    frustration = 2.0 * J2 * (ch * sk + sh * ck)  # J' (1 - gamma2)
    a_minus_b = J * dz + J * (sh + sk) - frustration
    a_plus_b = J * dz + J * (ch + ck) - frustration
    return a_minus_b, a_plus_b


@njit(cache=True, error_model="numpy")
def magnon_energy(h, k, J, J2, S, dz):
    """Return hbar*omega in meV at one (h, k) in r.l.u. (scalar core)."""
    a_minus_b, a_plus_b = lswt_factors(h, k, J, J2, dz)
    # Parameters are checked stable, so a negative product is rounding only.
    return 4.0 * S * math.sqrt(max(a_minus_b * a_plus_b, 0.0))


@njit(cache=True, error_model="numpy")
def _magnon_energies(h, k, J, J2, S, dz):
    out = np.empty(h.size)
    for i in range(h.size):
        out[i] = magnon_energy(h[i], k[i], J, J2, S, dz)
    return out


def _check_scalar(name, value):
    try:
        if np.ndim(value) != 0:
            raise TypeError
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real scalar; got {value!r}.") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}.")
    return value


def _check_parameters(J, J2, S, dz):
    J, J2, S, dz = (_check_scalar(name, value)
                    for name, value in (("J", J), ("J2", J2), ("S", S), ("dz", dz)))
    if J <= 0:
        raise ValueError(
            f"J must be positive (antiferromagnetic nearest-neighbour exchange, meV); "
            f"got {J!r}: the spin waves are those of the Neel state, which needs J > 0."
        )
    if S <= 0:
        raise ValueError(f"S must be positive (spin length); got {S!r}.")
    if dz < 0:
        raise ValueError(
            f"dz must be non-negative; got {dz!r}: an easy-plane anisotropy makes the "
            "Neel state with moments along c unstable (A^2 < B^2 near (0, 0))."
        )
    limit = (1.0 + dz) / 2.0
    if J2 / J > limit:
        raise ValueError(
            f"the Neel state is unstable for J2/J = {J2 / J!r} > (1 + dz)/2 = {limit!r} "
            "(A^2 < B^2 in the zone: the mode at (1/2, 0) goes soft when "
            "J2/J reaches (1 + dz)/2)."
        )
    return J, J2, S, dz


def _check_wavevector(name, value, units="reciprocal-lattice units"):
    values = np.asarray(value, dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        first = values.reshape(-1)[int(np.flatnonzero(bad)[0])].item()
        raise ValueError(f"{name} must be finite ({units}); got {first!r}.")
    return values


def magnon_dispersion(h, k, *, J, J2, S=2.5, dz=0.0048):
    """Spin-wave energy of the square-lattice antiferromagnet (Rb2MnF4) in meV.

    Linear spin-wave theory for nearest-neighbour exchange ``J`` with Ising
    anisotropy ``dz`` and next-nearest-neighbour exchange ``J2``, about the
    Neel state with the moments along c. ``h`` and ``k`` broadcast against
    each other as numpy arrays do.

    Parameters
    ----------
    h : float or array-like
        Wavevector component along a* in reciprocal-lattice units of the
        chemical (Mn-Mn, a = 4.215 Angstrom) cell, finite.
    k : float or array-like
        Wavevector component along b*, as ``h``; broadcast against ``h``.
    J : float
        Nearest-neighbour exchange in meV, positive (antiferromagnetic).
    J2 : float
        Next-nearest-neighbour exchange J' in meV, at most ``J * (1 + dz) / 2``
        (beyond which the Neel state is unstable).
    S : float, default=2.5
        Spin length, positive.
    dz : float, default=0.0048
        Ising anisotropy of the nearest-neighbour bond, non-negative.

    Returns
    -------
    ndarray
        Spin-wave energy hbar*omega in meV, of the broadcast shape of ``h``
        and ``k``; a 0-d numpy float when both are scalars.

    Raises
    ------
    ValueError
        If an input is not finite, if ``J``, ``S`` are not positive, if
        ``dz`` is negative, or if ``J2 / J > (1 + dz) / 2``, where ``A^2 <
        B^2`` somewhere in the zone and the ordered state is unstable; or if
        ``h`` and ``k`` do not broadcast.

    References
    ----------
    .. [1] R. A. Cowley, G. Shirane, R. J. Birgeneau and H. J. Guggenheim,
       *Phys. Rev. B* 15, 4292 (1977).

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import magnon_dispersion
    >>> h = np.array([0.0, 0.25, 0.5])
    >>> energy = magnon_dispersion(h, [0.0, 0.25, 0.0], J=0.6544, J2=0.012)
    >>> print(np.array2string(energy, precision=6, floatmode="fixed"))
    [0.641947 6.455411 6.335411]
    >>> magnon_dispersion(h[:, None], h, J=0.6544, J2=0.012).shape
    (3, 3)
    """
    J, J2, S, dz = _check_parameters(J, J2, S, dz)
    h = _check_wavevector("h", h)
    k = _check_wavevector("k", k)
    try:
        h, k = np.broadcast_arrays(h, k)
    except ValueError:
        raise ValueError(
            f"h and k must broadcast against each other; got shapes {h.shape} and {k.shape}."
        ) from None
    out = _magnon_energies(np.ascontiguousarray(h).reshape(-1),
                           np.ascontiguousarray(k).reshape(-1), J, J2, S, dz)
    out = out.reshape(h.shape)
    return out[()] if out.ndim == 0 else out


_MPMATH = "mpmath 1.3.0, 40 digits, the formulas of the module docstring"
_HK = ([0.0, 0.5, 0.25, 0.5, 0.1, 0.37], [0.0, 0.0, 0.25, 0.5, 0.3, 0.05])
#: (params, (h, k), expected hbar*omega in meV, source); the first set is the
#: literature Rb2MnF4 (Cowley et al. 1977), the others the dataset's corners.
REFERENCE = [
    ({"J": 0.6544, "J2": 0.012}, _HK,
     [0.64194738809768515, 6.3354112, 6.4554112, 0.64194738809768515,
      6.2136473257729586, 6.3173855736640517], _MPMATH),
    ({"J": 0.5, "J2": 0.03}, _HK,
     [0.49048547379101861, 4.424, 4.724, 0.49048547379101861,
      4.4778009111616385, 4.4794069336176556], _MPMATH),
    ({"J": 0.8, "J2": 0.0}, _HK,
     [0.78477675806562977, 8.0384, 8.0384, 0.78477675806562977,
      7.7856197287049667, 7.9673984654326099], _MPMATH),
]
