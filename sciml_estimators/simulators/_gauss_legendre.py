"""Adaptive Gauss-Legendre rules, as sasmodels 1.1 chooses them.

sasmodels integrates orientation averages with nested Gauss-Legendre loops
whose order grows with the largest ``q*r`` the loop sees (``gauss_weights`` in
``sasmodels/models/lib/adaptive.c``). The stages have 20, 76, 500 and 5000
points, and the number of points of the enclosing loop, ``outer_n``, caps the
inner loop so that ``n_outer * n_inner`` stays below ``MAX_N = 100000``.
``rule_index`` reproduces that choice exactly; the nodes and weights come from
:func:`numpy.polynomial.legendre.leggauss` rather than from sasmodels' printed
tables, which carry 15 to 16 significant digits.
"""

import numpy as np
from numba import njit

MAX_N = 100_000
ADAPTIVE_MAX_OUTER = MAX_N // 500
RULE_SIZES = (20, 76, 500, 5000)


@njit(cache=True)
def rule_index(qr, outer_n):
    """Return the index into ``RULE_SIZES`` that sasmodels' ``gauss_weights`` picks.

    Parameters
    ----------
    qr : float
        Largest ``q * r`` (dimensionless) the loop has to resolve.
    outer_n : int
        Number of points of the enclosing loop, or ``ADAPTIVE_MAX_OUTER`` for
        the outermost loop.

    Returns
    -------
    index : int
        0, 1, 2 or 3 for the 20, 76, 500 or 5000-point rule.
    """
    if qr < 10.0 or outer_n > MAX_N // 76:
        return 0
    if qr < 100.0 or outer_n > MAX_N // 500:
        return 1
    if qr < 750.0 or outer_n > MAX_N // 5000:
        return 2
    return 3


def gauss_legendre_rules(sizes):
    """Return the Gauss-Legendre rules of the given sizes, concatenated.

    Parameters
    ----------
    sizes : sequence of int
        Number of points of each rule, in the order ``rule_index`` counts them.

    Returns
    -------
    nodes : ndarray of shape (sum(sizes),)
        Nodes on [-1, 1], ascending within each rule.
    weights : ndarray of shape (sum(sizes),)
        Weights, summing to 2 within each rule.
    offsets : ndarray of shape (len(sizes) + 1,)
        Rule ``k`` occupies ``nodes[offsets[k]:offsets[k + 1]]``.
    """
    rules = [np.polynomial.legendre.leggauss(n) for n in sizes]
    nodes = np.concatenate([z for z, _ in rules])
    weights = np.concatenate([w for _, w in rules])
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    return nodes, weights, offsets
