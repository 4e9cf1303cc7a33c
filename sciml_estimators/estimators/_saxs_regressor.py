"""Regress particle size (or any parameters) from 1-D SAXS profiles, with an uncertainty."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._engine._streaming import blockwise_on_disk
from .._engine._training_settings import LR_SCHEDULES
from .._framework import Number, StrOptions
from ..models import MLP
from ..preprocessing._intensity import INTENSITY_TRANSFORMS
from ._base import MeanVarianceMixin, NetworkRegressor
from ._inputs import ProfileInputMixin


class SAXSRegressor(MeanVarianceMixin, ProfileInputMixin, NetworkRegressor):
    """Regress particle size, or other parameters, from a 1-D SAXS profile, with an uncertainty.

    Takes raw intensities I(q), one profile per row on a common q grid, and
    one or more real targets per profile (for example the sphere radius in
    Angstrom). The preprocessing is that of
    :class:`~sciml_estimators.estimators.SAXSClassifier`: a log-like intensity
    transform, then standardisation per q point. The targets are
    standardised too, after a logarithm with ``log_target=True``. The network
    is the classifier's MLP, ``n_q -> hidden_units ReLU -> 2 n_targets``,
    giving a mean and a log-variance per target. It is trained with Adam
    through a skorch net, the means on the squared error alone and the
    log-variances by Gaussian likelihood with the means held fixed, as
    :class:`~sciml_estimators.estimators.MagnonCouplingRegressor` does. The
    standard deviations are then scaled, one factor per target, so that the
    z-scores of the ``validation_fraction`` of the samples held out of
    training have unit mean square.

    With ``log_target=True`` the network models log(y) as Gaussian with mean
    m and standard deviation s. ``predict`` returns ``exp(m)``, the median of
    that log-normal, and with ``return_std=True`` the delta-method standard
    deviation ``exp(m) * s``. So ``y_std / y_pred`` is s exactly: the
    relative uncertainty. For a central interval of probability p, use
    ``y_pred * exp(+-z * y_std / y_pred)`` with z the normal quantile (1 for
    68%, 1.96 for 95%): it is exact under the model and stays positive, while
    ``y_pred +- z * y_std`` agrees with it only to first order in s.

    Parameters
    ----------
    hidden_units : int, default=100
        Width of the hidden layer.
    lr : float, default=1e-3
        Adam learning rate.
    max_epochs : int, default=20
        Passes over the training part.
    lr_schedule : {"cosine", "constant"}, default="cosine"
        The learning rate over the epochs. ``"cosine"`` anneals it from
        ``lr`` to 0 along half a cosine (Loshchilov and Hutter, 2017), so that
        training ends in small steps rather than wherever Adam's last large
        step left the network; on the ``saxs-rg`` benchmark it brought the
        mean relative error of Rg from 2.27 % (``"constant"``) to 1.69 %
        (docs/performance.md). ``"constant"`` keeps ``lr``.
    batch_size : int, default=32
        Training mini-batch size.
    predict_batch_size : int, default=4096
        Batch size of ``predict`` and of the calibration pass.
    log_target : bool, default=True
        Model the logarithm of the targets, which must then be positive.
        Suits sizes, which span decades and whose errors scale with them.
        With False the targets are modelled as they are, and may be any
        real values.
    validation_fraction : float, default=0.1
        Fraction of the samples held out of training to calibrate the
        uncertainty, in [0, 1). 0 leaves the learnt variances unscaled.
    intensity_transform : {"asinh", "log", "none"}, default="asinh"
        Transform applied to intensities before standardisation, as in
        :class:`~sciml_estimators.estimators.SAXSClassifier`.
    normalise_profiles : bool, default=True
        Divide each profile by its mean ``|I|`` before the transform, so that
        the answers do not depend on the profile's overall level (volume
        fraction, contrast, thickness, absolute calibration: what a
        measurement does not fix); multiplying a profile by any positive
        factor then changes no prediction beyond rounding. False keeps the
        absolute level as a feature (the paper's set-up, in which every
        training profile has the same scale).
    device : {"cpu", "cuda", "auto"}, default="cpu"
        Where to train and predict. ``"auto"`` picks CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Seeds the held-out split, the weight initialisation and the
        shuffling. The same seed and data give the same fitted model on the
        CPU.
    verbose : int, default=0
        If positive, show a progress bar over the training epochs.
    q : array-like of shape (n_q,) or None, default=None
        The q grid (1/Angstrom, strictly increasing) of the columns of the
        training ``X``. When given, ``predict`` accepts profiles measured on
        another grid together with that grid (its ``q`` argument) and
        resamples them onto this one (see
        :func:`~sciml_estimators.estimators.resample_profile`).

    Attributes
    ----------
    n_features_in_ : int
        Number of q points.
    n_targets_ : int
        Number of targets.
    intensity_scale_ : float
        The ``s`` of the ``"asinh"`` transform (1.0 for the others).
    feature_mean_ : ndarray of shape (n_features_in_,)
        Mean of the transformed training intensities at each q.
    feature_scale_ : ndarray of shape (n_features_in_,)
        Their standard deviation (1 where constant).
    target_mean_ : ndarray of shape (n_targets_,)
        Mean of the targets, of their logarithm with ``log_target=True``.
    target_scale_ : ndarray of shape (n_targets_,)
        Their standard deviation (1 where constant).
    uncertainty_calibration_ : ndarray of shape (n_targets_,)
        Factor applied to the learnt standard deviations (1 without a
        held-out part).
    net_ : skorch.NeuralNetRegressor
        The trained net; ``net_.history`` holds the training losses.
    domain_ : dict or None
        The principal-component model of the training features that
        :meth:`out_of_domain_score` measures profiles against: ``mean``,
        ``components``, ``variances`` and the ``thresholds`` of T^2 and Q.
        None when ``fit`` saw fewer than 400 profiles (no scores, no
        warnings).
    device_ : str
        The torch device used.
    q_ : ndarray of shape (n_features_in_,) or None
        The training q grid (``q`` as a float array), or None.

    See Also
    --------
    sciml_estimators.estimators.SAXSClassifier : Particle shape from the same profiles.
    sciml_estimators.estimators.resample_profile : Profiles onto another q grid.

    References
    ----------
    .. [1] D. A. Nix and A. S. Weigend, "Estimating the mean and variance of
       the target probability distribution", Proc. ICNN'94, 55-60 (1994).
    .. [2] M. Seitzer, A. Tavakoli, D. Antic and G. Martius, "On the pitfalls
       of heteroscedastic uncertainty estimation with probabilistic neural
       networks", ICLR (2022).
    .. [3] I. Loshchilov and F. Hutter, "SGDR: Stochastic gradient descent
       with warm restarts", ICLR (2017).

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators import SAXSRegressor
    >>> from sciml_estimators.simulators import sphere_iq
    >>> q = np.geomspace(1e-3, 0.5, 100)
    >>> radius = np.geomspace(10, 500, 600)[np.random.RandomState(0).permutation(600)]
    >>> X = sphere_iq(q, radius=radius)
    >>> reg = SAXSRegressor(max_epochs=20, random_state=0).fit(X[:500], radius[:500])
    >>> r_pred, r_std = reg.predict(X[500:], return_std=True)
    >>> bool(np.median(np.abs(r_pred / radius[500:] - 1)) < 0.1)
    True
    """

    _parameter_constraints = {
        **NetworkRegressor._parameter_constraints,
        "hidden_units": [Number(Integral, 1, None, closed="left")],
        "lr_schedule": [StrOptions(set(LR_SCHEDULES))],
        "log_target": ["boolean"],
        "validation_fraction": [Number(Real, 0, 1, closed="left")],
        "intensity_transform": [StrOptions(set(INTENSITY_TRANSFORMS))],
        "normalise_profiles": ["boolean"],
        "q": ["array-like", None],
    }
    _module = MLP

    def __init__(
        self,
        *,
        hidden_units=100,
        lr=1e-3,
        max_epochs=20,
        lr_schedule="cosine",
        batch_size=32,
        predict_batch_size=4096,
        log_target=True,
        validation_fraction=0.1,
        intensity_transform="asinh",
        normalise_profiles=True,
        device="cpu",
        random_state=None,
        verbose=0,
        q=None,
    ):
        self.hidden_units = hidden_units
        self.lr = lr
        self.max_epochs = max_epochs
        self.lr_schedule = lr_schedule
        self.batch_size = batch_size
        self.predict_batch_size = predict_batch_size
        self.log_target = log_target
        self.validation_fraction = validation_fraction
        self.intensity_transform = intensity_transform
        self.normalise_profiles = normalise_profiles
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.q = q

    def __setstate__(self, state):
        # Regressors pickled before the schedule existed were trained at a constant lr.
        state.setdefault("lr_schedule", "constant")
        super().__setstate__(state)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.positive_only = bool(self.log_target)
        return tags

    def _encode_targets(self, targets):
        if not self.log_target:
            return targets
        bad = ~(targets > 0)
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise ValueError(
                "log_target=True needs positive targets (sizes), but y holds "
                f"{targets[row, col]} at row {row}"
                + (f", column {col}" if targets.shape[1] > 1 else "")
                + "; pass log_target=False to model targets that may be zero or negative."
            )
        return np.log(targets)

    @blockwise_on_disk
    def predict(self, X, return_std=False, q=None):
        """Predict the targets, optionally with a calibrated standard deviation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_q)
            Intensities on the q grid seen in ``fit``, or on the grid ``q``.
        return_std : bool, default=False
            Also return the per-sample standard deviation of each prediction.
        q : array-like of shape (n_q,) or (n_samples, n_q), or None, default=None
            The q grid (1/Angstrom) of the columns of ``X`` when it differs
            from the training grid, or one grid per row (as
            ``make_saxs_1d(instrument=[...])`` returns them). The profiles are then resampled onto
            ``q_`` (log I against log q); this needs ``q`` set before
            ``fit``, and a grid covering the training range to within 1% at
            each end.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predicted targets, in the shape of ``y`` seen in ``fit``. With
            ``log_target=True``, the exponential of the predicted mean
            logarithm (the median of the predicted log-normal).
        y_std : ndarray of the same shape
            Only if ``return_std``: the predicted standard deviation, scaled
            so that held-out z-scores have unit mean square. With
            ``log_target=True``, ``y_pred`` times the standard deviation of
            the logarithm (the delta method); see the class description for
            intervals. For a profile outside the training domain
            (:meth:`out_of_domain_score` s > 1) it is widened by sqrt(s).

        Warns
        -----
        OutOfDomainWarning
            If profiles lie outside the training domain.
        """
        check_is_fitted(self)
        features = self._features(self._on_fitted_grid(X, q))
        widening = np.sqrt(np.maximum(self._domain_checked(features), 1.0))
        y_pred, y_std = self._mean_and_std(self._forward(features))
        y_std = y_std * widening[:, None]
        if self.log_target:
            y_pred = np.exp(y_pred)
            y_std = y_pred * y_std
        if self._single_target:
            y_pred, y_std = y_pred[:, 0], y_std[:, 0]
        return (y_pred, y_std) if return_std else y_pred
