"""The library's own warning and error classes.

Every warning that sciml_estimators raises derives from
:class:`SciMLEstimatorsWarning`, so that a user can filter them as one (and the
test suite can keep them errors while the ecosystem's deprecations are only
reported). The errors subclass the builtin error a caller would catch
anyway: :class:`DamagedStoreError` is a ``ValueError`` and
:class:`StoreBusyError` a ``BlockingIOError`` (an ``OSError``).

Examples
--------
>>> import warnings
>>> from sciml_estimators.exceptions import SciMLEstimatorsWarning
>>> warnings.simplefilter("ignore", SciMLEstimatorsWarning)
"""

__all__ = [
    "DamagedStoreError",
    "NoGuinierRangeWarning",
    "OutOfDomainWarning",
    "SciMLEstimatorsWarning",
    "StoreBusyError",
]


class SciMLEstimatorsWarning(UserWarning):
    """Base class of the warnings that sciml_estimators raises."""


class NoGuinierRangeWarning(SciMLEstimatorsWarning):
    """Some profiles have no usable Guinier range; ``GuinierRegressor`` gave them NaN.

    The message says how many and names the first rows.
    """


class OutOfDomainWarning(SciMLEstimatorsWarning):
    """An estimator was asked about inputs unlike those it was trained on.

    Raised by ``predict`` and ``predict_proba`` when a profile's
    ``out_of_domain_score`` exceeds 1; the answers for such inputs are
    extrapolations. Benchmarks that shift the domain on purpose silence it.
    """


class DamagedStoreError(ValueError):
    """A store written by ``write_dataset`` whose bytes are missing or changed.

    Raised instead of returning data: the message names the store, the
    entry, the damaged chunks and the ``repair_dataset(...)`` call that
    regenerates them.
    """


class StoreBusyError(BlockingIOError):
    """Another process is writing the store; nothing was written or removed."""
