"""Metrics of the paper: classification scores and time per sample."""

from ._classification import classification_scores
from ._timing import time_per_sample

__all__ = ["classification_scores", "time_per_sample"]
