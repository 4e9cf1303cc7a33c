"""Scientific machine-learning benchmarks as scikit-learn datasets and estimators.

Importing the package stays fast: the estimators (which need torch) are loaded
on first access, so ``from sciml_estimators.datasets import make_saxs_1d``
never imports torch.
"""

import importlib

#: The release, ``"major.minor.patch"``.
__version__ = "0.1.0"

_LAZY_ESTIMATORS = {
    "BayesianCloudMask": "sciml_estimators.estimators",
    "CloudMaskClassifier": "sciml_estimators.estimators",
    "CloudMaskSegmenter": "sciml_estimators.estimators",
    "DMSAngleRegressor": "sciml_estimators.estimators",
    "FLImPRegionSegmenter": "sciml_estimators.estimators",
    "GuinierRegressor": "sciml_estimators.estimators",
    "MagnonCouplingRegressor": "sciml_estimators.estimators",
    "SAXS2DClassifier": "sciml_estimators.estimators",
    "SAXSClassifier": "sciml_estimators.estimators",
    "SAXSRegressor": "sciml_estimators.estimators",
    "fit_distributed": "sciml_estimators.estimators",
}

__all__ = ["__version__", *_LAZY_ESTIMATORS]


def __getattr__(name):
    if name in _LAZY_ESTIMATORS:
        return getattr(importlib.import_module(_LAZY_ESTIMATORS[name]), name)
    raise AttributeError(f"module 'sciml_estimators' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
