"""scikit-learn estimators that compose skorch nets around the reference networks."""

from .._engine._distributed import fit_distributed
from ..preprocessing._profile_grid import resample_profile
from ._bayesian_cloud_mask import BayesianCloudMask
from ._cloud_mask_classifier import CloudMaskClassifier
from ._cloud_segmenter import CloudMaskSegmenter
from ._dms_regressor import DMSAngleRegressor
from ._flimp_segmenter import FLImPRegionSegmenter
from ._guinier_regressor import GuinierRegressor
from ._intensity_transformer import IntensityTransformer
from ._magnon_regressor import MagnonCouplingRegressor
from ._saxs_2d_classifier import SAXS2DClassifier
from ._saxs_classifier import SAXSClassifier
from ._saxs_regressor import SAXSRegressor

__all__ = [
    "BayesianCloudMask",
    "CloudMaskClassifier",
    "CloudMaskSegmenter",
    "DMSAngleRegressor",
    "FLImPRegionSegmenter",
    "GuinierRegressor",
    "IntensityTransformer",
    "MagnonCouplingRegressor",
    "SAXS2DClassifier",
    "SAXSClassifier",
    "SAXSRegressor",
    "fit_distributed",
    "resample_profile",
]
