"""scikit-learn's estimator checks for every public estimator.

The checks feed arbitrary real numbers, negatives included; the estimators'
default ``intensity_transform="asinh"`` is defined for any real input, so the
checks run with the defaults and only small training budgets.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sciml_estimators.estimators import (
    BayesianCloudMask,
    CloudMaskClassifier,
    CloudMaskSegmenter,
    DMSAngleRegressor,
    IntensityTransformer,
    MagnonCouplingRegressor,
    SAXSClassifier,
)

# Small budgets: the checks train dozens of times on tiny data.
ESTIMATORS = [
    IntensityTransformer(),
    SAXSClassifier(max_epochs=5, lr=0.01, batch_size=16, random_state=0),
    MagnonCouplingRegressor(max_epochs=5, lr=0.01, batch_size=16, random_state=0),
    DMSAngleRegressor(max_epochs=5, lr=0.01, batch_size=16, random_state=0),
    # The cloud-mask estimators on their pixel-row interface.
    BayesianCloudMask(),
    CloudMaskClassifier(max_epochs=5, lr=0.01, batch_size=16, random_state=0),
    CloudMaskSegmenter(max_epochs=2, width=4, depth=1, lr=0.01, random_state=0),
]

# {estimator class name: {check name: reason}}: none are expected to fail.
EXPECTED_FAILURES = {}


def _expected_failed_checks(estimator):
    return EXPECTED_FAILURES.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
