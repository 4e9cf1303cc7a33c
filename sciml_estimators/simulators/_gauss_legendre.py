"""Adaptive Gauss-Legendre rules, as sasmodels 1.1 chooses them.

sasmodels integrates orientation averages with nested Gauss-Legendre loops
whose order grows with the largest ``q*r`` the loop sees (``gauss_weights`` in
``sasmodels/models/lib/adaptive.c``). The stages have 20, 76, 500 and 5000
points, and the number of points of the enclosing loop, ``outer_n``, caps the
inner loop so that ``n_outer * n_inner`` stays below ``MAX_N = 100000``.
``rule_index`` reproduces that choice exactly; the nodes and weights come from
:func:`numpy.polynomial.legendre.leggauss` rather than from sasmodels' printed
tables, which carry 15 to 16 significant digits.

``leggauss`` solves a dense eigenvalue problem, which takes about 40 s for
the 5000-point rule, so rules longer than ``LEGGAUSS_MAX = 500`` points are
built instead by Newton's method on the three-term recurrence of
:math:`P_n`, from Tricomi's initial nodes (0.3 s for 5000 points), and cached
on first use. That rule integrates polynomials of degree up to 9998 to 1e-16;
sasmodels' printed ``Gauss5000Wt`` is off by 3e-13 on those integrals and by
up to 1e-6 relative in its smallest, outermost weights.
"""

import functools

import numpy as np
from numba import njit

MAX_N = 100_000
ADAPTIVE_MAX_OUTER = MAX_N // 500
RULE_SIZES = (20, 76, 500, 5000)
LEGGAUSS_MAX = 500


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


def rules_needed(qr_top):
    """Return how many of ``RULE_SIZES`` an outermost loop needs, at least 3.

    Single loops (``outer_n = 1``) reach the 5000-point rule at ``q*r >= 750``;
    callers pass the largest ``q*r`` of a batch and build the costly rule only
    when this returns 4.

    Parameters
    ----------
    qr_top : float
        Largest ``q * r`` any profile of the batch has to resolve.

    Returns
    -------
    n_rules : int
        3 (rules of 20, 76 and 500 points) or 4 (and 5000).
    """
    return max(rule_index(qr_top, 1) + 1, 3)


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
    rules = [legendre_rule(n) for n in sizes]
    nodes = np.concatenate([z for z, _ in rules])
    weights = np.concatenate([w for _, w in rules])
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    return nodes, weights, offsets


@functools.cache
def legendre_rule(n):
    """Return the n-point Gauss-Legendre rule, cached (see the module notes).

    Parameters
    ----------
    n : int
        Number of points.

    Returns
    -------
    nodes : ndarray of shape (n,)
        Nodes on [-1, 1], ascending; treat as read-only (cached).
    weights : ndarray of shape (n,)
        Weights, summing to 2; treat as read-only (cached).
    """
    if n <= LEGGAUSS_MAX:
        return np.polynomial.legendre.leggauss(n)
    x = -np.cos(np.pi * (np.arange(1, n + 1) - 0.25) / (n + 0.5))
    for _ in range(3):  # quadratic convergence from Tricomi's guess
        p_n, dp_n = _legendre_and_derivative(n, x)
        x = x - p_n / dp_n
    dp_n = _legendre_and_derivative(n, x)[1]
    weights = 2.0 / ((1.0 - x) * (1.0 + x) * dp_n * dp_n)
    return x, weights


def _legendre_and_derivative(n, x):
    """Return P_n(x) and P_n'(x) by the three-term recurrence."""
    p_prev, p_n = np.ones_like(x), x.copy()
    for k in range(2, n + 1):
        p_prev, p_n = p_n, ((2 * k - 1) * x * p_n - (k - 1) * p_prev) / k
    return p_n, n * (x * p_n - p_prev) / (x * x - 1.0)


@njit(cache=True)
def group_by_rule(rules, rule, q, group, q_group):
    """Gather the positions and values of the ``q`` whose rule index is ``rule``.

    Fills ``group[:m]`` with positions in ``q`` and ``q_group[:m]`` with the
    values, in order, and returns ``m``: kernels then sum one rule's nodes
    over a contiguous block of q, a loop that vectorises.
    """
    m = 0
    for k in range(rules.size):
        if rules[k] == rule:
            group[m] = k
            q_group[m] = q[k]
            m += 1
    return m
