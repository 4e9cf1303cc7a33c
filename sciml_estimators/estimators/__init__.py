"""scikit-learn estimators that compose skorch nets around the reference networks."""

from ._saxs_classifier import SAXSClassifier

__all__ = ["SAXSClassifier"]
