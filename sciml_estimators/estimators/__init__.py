"""scikit-learn estimators that compose skorch nets around the reference networks."""

from ._dms_regressor import DMSAngleRegressor
from ._intensity_transformer import IntensityTransformer
from ._magnon_regressor import MagnonCouplingRegressor
from ._saxs_classifier import SAXSClassifier

__all__ = ["DMSAngleRegressor", "IntensityTransformer", "MagnonCouplingRegressor", "SAXSClassifier"]
