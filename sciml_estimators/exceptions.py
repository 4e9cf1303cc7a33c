"""The library's own warning classes.

Every warning that sciml_estimators raises derives from
:class:`SciMLEstimatorsWarning`, so that a user can filter them as one (and the
test suite can keep them errors while the ecosystem's deprecations are only
reported).

Examples
--------
>>> import warnings
>>> from sciml_estimators.exceptions import SciMLEstimatorsWarning
>>> warnings.simplefilter("ignore", SciMLEstimatorsWarning)
"""

__all__ = ["SciMLEstimatorsWarning"]


class SciMLEstimatorsWarning(UserWarning):
    """Base class of the warnings that sciml_estimators raises."""
