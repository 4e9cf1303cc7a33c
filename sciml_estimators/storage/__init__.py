"""Datasets on disk: chunked, resumable writing of any ``make_*`` and lazy loading.

:func:`write_dataset` simulates a set chunk by chunk into a Zarr directory or
an HDF5 file, on joblib workers or a Dask cluster; :func:`load_dataset` opens
it with every per-sample array an :class:`OnDiskArray`, read only when
indexed, and checks every chunk against the checksums recorded when it was
written; :func:`repair_dataset` regenerates damaged chunks. This package sits below :mod:`sciml_estimators.datasets`, which
re-exports these names, and never imports it.
"""

from ._load import load_dataset
from ._on_disk import OnDiskArray, OnDiskRows
from ._repair import repair_dataset
from ._write import write_dataset

__all__ = ["OnDiskArray", "OnDiskRows", "load_dataset", "repair_dataset", "write_dataset"]
