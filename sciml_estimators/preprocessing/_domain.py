r"""How far a profile's features lie from the training set's: an out-of-domain score.

The features a network sees (transformed, standardised intensities) of the
training profiles span a low-dimensional region. A profile is scored by the
two statistics of multivariate statistical process control on a principal
component model of those features (Jackson and Mudholkar, 1979; MacGregor
and Kourti, 1995): Hotelling's :math:`T^2`, the squared Mahalanobis distance
within the :math:`k` leading components, and :math:`Q`, the squared distance
from their span,

.. math::

    T^2 = \sum_{i \le k} \frac{(v_i \cdot z)^2}{\lambda_i},
    \qquad
    Q = \lVert z - V_k V_k^\top z \rVert^2,

on the features averaged over ``N_BINS`` runs of adjacent columns (q points),
with :math:`k` the fewest components that hold ``VARIANCE_KEPT`` of the
variance, and at most one per ``ROWS_PER_COMPONENT`` fitting rows. The
components are learnt on the even training rows and each statistic is
divided by its ``QUANTILE`` over the odd rows, which the components have not
seen: thresholds taken on the rows that fitted the components are optimistic
(on the 300 unaveraged features of noisy profiles, whose variance spreads
over hundreds of components, 3.6 % of new in-domain profiles exceeded such
a 99.5 % threshold, against the 0.5 % intended). The score is the larger
ratio over ``MARGIN`` times the quantile, so that 1 is five times as far out
as all but 0.5 % of the held-out training profiles; a threshold at the
quantile itself flagged about 1 % of in-domain profiles, and so almost every
large batch of them. ``benchmarks/saxs_out_of_domain.py`` measures the
false alarms on 17,408 new in-domain profiles (20,000-profile sets, 20
epochs, AMD EPYC): 0 to 0.03 % for SAXSRegressor on noisy spheres of radius
up to 300 A, and 0 % of 4,000 for SAXSClassifier on saxs-1d. SasView's
100 nm SiO2 spheres (radius 500 A) score 223 at the paper's level, a sphere
of 150 A 0.03. The score only sees what the training set's spread leaves
visible: measured-like sets (``make_saxs_1d(nuisances="measured")``) hold
profiles drowned in counting noise and background, and there nothing tried
scored above 0.46; on USANS q ranges, where every training particle is in
its Guinier plateau, a 7,900 A sphere scored 0.12 (docs/saxs-real-rg.md).
A profile of a size, shape or background the model never saw changes the
shape of I(q) in ways the training set's components do not describe (a large
:math:`Q`) or describes at amplitudes it never reached (a large :math:`T^2`).
"""

import numpy as np

from ._blocks import as_feature_rows

__all__ = ["MARGIN", "MIN_ROWS", "N_BINS", "QUANTILE", "VARIANCE_KEPT", "domain_scores",
           "fit_domain"]

#: Runs of adjacent features averaged before scoring. Counting noise is independent
#: from one q point to the next while a shape, size or background that the training
#: set lacks moves many neighbours together: averaging 10 columns of a 300-point
#: profile cuts the noise's variance tenfold and keeps the signal. Measured on a
#: model trained on noisy spheres (radius <= 300 A), a long rod, a thin disc and a
#: background of 10 /cm scored 5.2, 4.7 and 3.8 with 30 runs, against 0.32, 0.19
#: and 0.21 on the 300 unaveraged columns (a 500 A sphere: 290 against 15).
N_BINS = 30
#: Fraction of the training features' variance the components keep.
VARIANCE_KEPT = 0.999
#: Training rows needed for a domain: the odd half must reach past the quantile
#: (one row in 200 lies beyond 99.5 %); fewer give no domain and no scores.
MIN_ROWS = 400
#: Training quantile of each statistic, and the multiple of it that scores 1.
QUANTILE, MARGIN = 0.995, 5.0
#: Fitting rows per component kept, at least: T^2 on components learnt from few
#: rows each has a heavy tail (Hotelling's F distribution), so few rows keep few.
ROWS_PER_COMPONENT = 20
#: Rows per pass over the features.
_BATCH = 8192


def _binned(batch):
    """``batch`` (n_rows, n_features) averaged over ``N_BINS`` runs of adjacent columns."""
    batch = np.asarray(batch, dtype=np.float64).reshape(len(batch), -1)
    edges = np.linspace(0, batch.shape[1], min(N_BINS, batch.shape[1]) + 1).astype(int)
    return np.add.reduceat(batch, edges[:-1], axis=1) / np.diff(edges)


def _batches(features, parity):
    """Rows ``parity``, ``parity + 2``, ... of ``features``, binned, in float64 batches."""
    rows = as_feature_rows(features)
    for start in range(0, len(rows), 2 * _BATCH):
        index = np.arange(start + parity, min(start + 2 * _BATCH, len(rows)), 2)
        if index.size:
            yield _binned(rows[index])


def fit_domain(features):
    """The principal-component model of training ``features`` and its thresholds.

    Parameters
    ----------
    features : ndarray or FeatureRows of shape (n_samples, n_features)
        The training features (read in batches, never whole, if on disk).

    Returns
    -------
    domain : dict or None
        ``mean`` (n_bins,), ``components`` (k, n_bins),
        ``variances`` (k,) and ``thresholds`` (2,): ``MARGIN`` times the
        held-out training quantiles of :math:`T^2` and :math:`Q`. None for
        fewer than ``MIN_ROWS`` rows, too few to place a threshold.
    """
    if len(features) < MIN_ROWS:
        return None
    count, total, outer = 0, 0.0, 0.0
    for batch in _batches(features, 0):
        count += len(batch)
        total = total + batch.sum(axis=0)
        outer = outer + batch.T @ batch
    mean = total / count
    covariance = outer / count - np.outer(mean, mean)
    variances, vectors = np.linalg.eigh(covariance)
    variances, vectors = np.maximum(variances[::-1], 0.0), vectors[:, ::-1]
    share = np.cumsum(variances) / max(variances.sum(), np.finfo(float).tiny)
    k = int(np.searchsorted(share, VARIANCE_KEPT) + 1)
    k = min(k, int(np.count_nonzero(variances > variances[0] * 1e-12)) or 1,
            max(1, count // ROWS_PER_COMPONENT))
    domain = {"mean": mean, "components": vectors[:, :k].T.copy(),
              "variances": variances[:k], "thresholds": np.ones(2)}
    statistics = np.concatenate([_statistics(domain, batch) for batch in _batches(features, 1)])
    thresholds = np.quantile(statistics, QUANTILE, axis=0)
    domain["thresholds"] = MARGIN * np.where(thresholds > 0, thresholds, 1.0)
    return domain


def _statistics(domain, batch):
    """:math:`T^2` and :math:`Q` of each row of ``batch``, (n_rows, 2), unscaled."""
    centred = batch - domain["mean"]
    projected = centred @ domain["components"].T
    t2 = (projected**2 / domain["variances"]).sum(axis=1)
    q = (centred**2).sum(axis=1) - (projected**2).sum(axis=1)
    return np.column_stack([t2, np.maximum(q, 0.0)])


def domain_scores(domain, features):
    """The out-of-domain score of each row of ``features``: 1 is the threshold.

    Parameters
    ----------
    domain : dict
        What :func:`fit_domain` returned (not None).
    features : ndarray of shape (n_samples, n_features)
        Features prepared as in training.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        The larger of :math:`T^2` and :math:`Q` over their thresholds.
    """
    return (_statistics(domain, _binned(features)) / domain["thresholds"]).max(axis=1)
