"""Metrics of the paper: classification, regression and segmentation scores, time per sample."""

from ._angular import angular_distance, angular_error
from ._classification import classification_scores
from ._regression import regression_scores
from ._segmentation import segmentation_scores
from ._timing import time_per_sample

__all__ = ["angular_distance", "angular_error", "classification_scores", "regression_scores",
           "segmentation_scores", "time_per_sample"]
