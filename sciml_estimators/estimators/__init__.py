"""scikit-learn estimators that compose skorch nets around the reference networks."""

from ._bayesian_cloud_mask import BayesianCloudMask
from ._cloud_mask_classifier import CloudMaskClassifier
from ._cloud_segmenter import CloudMaskSegmenter
from ._dms_regressor import DMSAngleRegressor
from ._intensity_transformer import IntensityTransformer
from ._magnon_regressor import MagnonCouplingRegressor
from ._saxs_classifier import SAXSClassifier

__all__ = [
    "BayesianCloudMask",
    "CloudMaskClassifier",
    "CloudMaskSegmenter",
    "DMSAngleRegressor",
    "IntensityTransformer",
    "MagnonCouplingRegressor",
    "SAXSClassifier",
]
