"""scikit-learn's estimator checks for every public estimator.

The checks feed arbitrary real numbers, negatives included; the estimators'
default ``intensity_transform="asinh"`` is defined for any real input, so the
checks run with the defaults and only small training budgets.
"""

import warnings

from sklearn.utils.estimator_checks import parametrize_with_checks

from sciml_estimators.exceptions import NoGuinierRangeWarning
from sciml_estimators.estimators import (
    BayesianCloudMask,
    CloudMaskClassifier,
    CloudMaskSegmenter,
    DMSAngleRegressor,
    FLImPRegionSegmenter,
    GuinierRegressor,
    IntensityTransformer,
    MagnonCouplingRegressor,
    SAXS2DClassifier,
    SAXSClassifier,
    SAXSRegressor,
)

# Small budgets: the checks train dozens of times on tiny data.
ESTIMATORS = [
    IntensityTransformer(),
    SAXSClassifier(max_epochs=5, lr=0.01, batch_size=16, random_state=0),
    # Sizes are regressed in log space by default (positive targets only), and
    # signed targets with log_target=False: both configurations are checked.
    SAXSRegressor(max_epochs=5, lr=0.01, batch_size=16, random_state=0),
    SAXSRegressor(log_target=False, max_epochs=5, lr=0.01, batch_size=16, random_state=0),
    MagnonCouplingRegressor(max_epochs=5, lr=0.01, batch_size=16, random_state=0),
    DMSAngleRegressor(max_epochs=5, lr=0.01, batch_size=16, random_state=0),
    # q=None: the checks' inputs of any width, on the default q range.
    GuinierRegressor(),
    SAXS2DClassifier(max_epochs=5, lr=0.01, batch_size=16, random_state=0),
    # The cloud-mask estimators on their pixel-row interface.
    BayesianCloudMask(),
    CloudMaskClassifier(max_epochs=5, lr=0.01, batch_size=16, random_state=0),
    CloudMaskSegmenter(max_epochs=2, width=4, depth=1, lr=0.01, random_state=0),
    # The FLImP segmenter on the same pixel-row interface (rows are 1 x 1 images).
    FLImPRegionSegmenter(max_epochs=2, width=4, depth=1, patch_size=64, lr=0.01,
                         random_state=0),
]

# {estimator class name: {check name: reason}} of the default configurations.
EXPECTED_FAILURES = {
    "SAXSRegressor": {
        "check_regressor_multioutput": (
            "the default log_target=True declares positive targets only "
            "(target_tags.positive_only), which scikit-learn 1.9's multi-output "
            "check ignores: it fits signed targets, which log space rightly refuses"
        ),
    },
    # The checks' random inputs are not SAXS profiles: they have no Guinier range, so
    # their Rg is NaN (with a NoGuinierRangeWarning, the documented result), and R^2
    # of NaN predictions is undefined.
    "GuinierRegressor": {
        "check_fit_score_takes_y": "score of NaN predictions (random inputs have no Guinier range)",
        "check_pipeline_consistency": "score of NaN predictions (random inputs have no Guinier range)",
    },
}


def _expected_failed_checks(estimator):
    if type(estimator).__name__ == "SAXSRegressor" and not estimator.log_target:
        return {}
    return EXPECTED_FAILURES.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    with warnings.catch_warnings():
        if isinstance(estimator, GuinierRegressor):
            warnings.simplefilter("ignore", NoGuinierRangeWarning)
        check(estimator)
