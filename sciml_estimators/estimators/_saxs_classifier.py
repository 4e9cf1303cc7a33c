"""The SAXS-1D reference classifier: the paper's MLP as a scikit-learn estimator."""

from numbers import Integral

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._engine._streaming import blockwise_on_disk
from .._framework import Number, StrOptions
from ..models import MLP
from ..preprocessing._intensity import INTENSITY_TRANSFORMS
from ._base import NetworkClassifier
from ._inputs import ProfileInputMixin


class SAXSClassifier(ProfileInputMixin, NetworkClassifier):
    """Classify particle shape from a 1-D SAXS profile with the paper's MLP.

    Takes raw intensities I(q), one profile per row on a common q grid. ``fit``
    learns the preprocessing (a log-like intensity transform, then
    standardisation per q point) and trains the network
    ``n_q -> hidden_units ReLU -> 1 sigmoid`` (softmax over the classes when
    there are more than two) with Adam and a cross-entropy loss, through a
    skorch net.

    Parameters
    ----------
    hidden_units : int, default=100
        Width of the hidden layer (100 in the paper).
    lr : float, default=1e-3
        Adam learning rate.
    max_epochs : int, default=20
        Passes over the training data.
    batch_size : int, default=32
        Training mini-batch size.
    predict_batch_size : int, default=4096
        Batch size of ``predict`` and ``predict_proba``; independent of
        ``batch_size`` so that inference runs in large batches.
    intensity_transform : {"asinh", "log", "none"}, default="asinh"
        Transform applied to intensities before standardisation. ``"asinh"``
        is ``arcsinh(I / s)`` with ``s`` learnt in ``fit`` (see
        ``intensity_scale_``): equal to ``log(2 I / s)`` up to a constant for
        ``I >> s`` and defined for zero and negative intensities, as noisy or
        background-subtracted data have. ``"log"`` is the plain logarithm and
        rejects non-positive intensities. ``"none"`` standardises raw values.
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
        Seeds the weight initialisation and the shuffling. The same seed and
        data give the same fitted model on the CPU.
    verbose : int, default=0
        If positive, show a progress bar over the training epochs.
    q : array-like of shape (n_q,) or None, default=None
        The q grid (1/Angstrom, strictly increasing) of the columns of the
        training ``X``. When given, ``predict`` and ``predict_proba`` accept
        profiles measured on another grid together with that grid (their
        ``q`` argument) and resample them onto this one (see
        :func:`~sciml_estimators.estimators.resample_profile`).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels seen in ``fit``.
    n_features_in_ : int
        Number of q points.
    intensity_scale_ : float
        The ``s`` of the ``"asinh"`` transform (1.0 for the others): the 1st
        percentile of the non-zero training intensities.
    feature_mean_ : ndarray of shape (n_features_in_,)
        Mean of the transformed training intensities at each q.
    feature_scale_ : ndarray of shape (n_features_in_,)
        Their standard deviation (1 where constant).
    net_ : skorch.NeuralNetBinaryClassifier or skorch.NeuralNetClassifier
        The trained net (with a leaner training step, see
        ``_engine._torch_support.DirectStepMixin``); ``net_.history`` holds the
        training losses.
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
    sciml_estimators.datasets.make_saxs_1d : The paper's SAXS-1D data.

    References
    ----------
    .. [1] T. Hey, K. Butler, S. Jackson, J. Thiyagalingam, "Machine learning
       and big scientific data", Phil. Trans. R. Soc. A 378 (2020) 20190054.

    Examples
    --------
    >>> from sciml_estimators import SAXSClassifier
    >>> from sciml_estimators.datasets import make_saxs_1d
    >>> X, y = make_saxs_1d(400, random_state=0, return_X_y=True)
    >>> clf = SAXSClassifier(max_epochs=10, random_state=0).fit(X[:300], y[:300])
    >>> clf.score(X[300:], y[300:]) > 0.9
    True
    """

    _parameter_constraints = {
        **NetworkClassifier._parameter_constraints,
        "hidden_units": [Number(Integral, 1, None, closed="left")],
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
        batch_size=32,
        predict_batch_size=4096,
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
        self.batch_size = batch_size
        self.predict_batch_size = predict_batch_size
        self.intensity_transform = intensity_transform
        self.normalise_profiles = normalise_profiles
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.q = q

    @blockwise_on_disk
    def predict_proba(self, X, q=None):
        """Class probabilities, in the order of ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_q)
            Intensities on the q grid seen in ``fit``, or on the grid ``q``.
        q : array-like of shape (n_q,) or (n_samples, n_q), or None, default=None
            The q grid (1/Angstrom) of the columns of ``X`` when it differs
            from the training grid, or one grid per row (as
            ``make_saxs_1d(instrument=[...])`` returns them). The profiles are then resampled onto
            ``q_`` (log I against log q); this needs ``q`` set before
            ``fit``, and a grid covering the training range to within 1% at
            each end.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class.

        Warns
        -----
        OutOfDomainWarning
            If profiles lie outside the training domain
            (:meth:`out_of_domain_score` above 1).
        """
        check_is_fitted(self)
        features = self._features(self._on_fitted_grid(X, q))
        self._domain_checked(features)
        return self._class_probabilities(features)

    def predict(self, X, q=None):
        """Most probable class of each profile.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_q)
            Intensities on the q grid seen in ``fit``, or on the grid ``q``.
        q : array-like of shape (n_q,) or None, default=None
            The q grid of the columns of ``X``, when it differs from the
            training grid (see :meth:`predict_proba`).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        proba = self.predict_proba(X, q=q)
        return self.classes_[np.argmax(proba, axis=1)]
