"""``out=`` and the on-disk options of every ``make_*``, defined once.

:func:`stored_generator` gives a generator the keyword options of
:data:`STORAGE_OPTIONS` (in its signature, its documentation and its
parameter validation) and, when ``out`` is a path, forwards the call with
every other argument to :func:`~._write.write_dataset`, then opens the store
with :func:`~._load.load_dataset`. A generator is written without them::

    @stored_generator({"n_samples": [...], "random_state": ["random_state"], ...})
    def make_thing(n_samples=100, *, size=8, random_state=None, progress=False):
        ...

Its first parameter is the number of samples; it must take ``random_state``
(an int with ``out``) and may take ``progress`` (passed to write_dataset's
bar) and ``return_X_y`` (refused with ``out``). All its other arguments are
the options recorded in the store.
"""

import functools
import inspect
import os
import re
import textwrap
from numbers import Integral

from .._framework import Number, validate_params
from ._load import load_dataset
from ._write import N_JOBS, write_dataset

#: The options every stored generator takes after its own, with their defaults.
STORAGE_OPTIONS = {
    "out": None,
    "chunk_size": 1000,
    "n_jobs": 1,
    "client": None,
    "resume": False,
    "overwrite": False,
}

_CONSTRAINTS = {
    "out": [str, os.PathLike, None],
    "chunk_size": [Number(Integral, 1, None, closed="left")],
    "n_jobs": N_JOBS,
    "client": "no_validation",  # checked by write_dataset
    "resume": ["boolean"],
    "overwrite": ["boolean"],
}

_DOC = """\
out : str, path-like or None, default=None
    A path: write the set there with
    :func:`~sciml_estimators.datasets.write_dataset`, as a Zarr directory
    (or an HDF5 file if the path ends in .h5 or .hdf5), and return it
    opened lazily by :func:`~sciml_estimators.datasets.load_dataset`, its
    per-sample arrays as ``OnDiskArray``. The set is
    written in chunks seeded from (random_state, chunk index), so it
    differs from the in-memory set of the same seed and does not depend on
    ``n_jobs``; ``random_state`` must then be an int{return_X_y}.
chunk_size : int, default=1000
    With ``out``: samples per chunk, the unit of work and of storage: each
    chunk is one call of this function (one task for a worker) and one Zarr
    shard or HDF5 chunk on disk, and memory holds about one chunk per
    worker. It does not change how many samples the simulation computes at
    once.
n_jobs : int or None, default=1
    With ``out``: processes generating chunks (-1 for all cores; not 0).
client : None, "local", str or distributed.Client, default=None
    With ``out``: where chunks are generated: joblib (None), a Dask cluster
    on this machine (``"local"``, ``n_jobs`` workers), a running cluster's
    scheduler address, or a ``distributed.Client`` (see
    :func:`~sciml_estimators.datasets.write_dataset`).
resume : bool, default=False
    With ``out``: finish the ``.partial`` file of an interrupted call.
overwrite : bool, default=False
    With ``out``: replace an existing store (never another file or folder).
"""


def _with_options_documented(doc, block):
    """``doc`` with ``block`` appended to its Parameters section (None under ``python -OO``)."""
    if doc is None:
        return None
    parameters = re.search(r"^( *)Parameters\n *-+\n", doc, re.MULTILINE)
    indent = parameters.group(1)
    heading = re.compile(rf"^{indent}\S.*\n{indent}-+\n", re.MULTILINE)
    end = heading.search(doc, parameters.end()).start()
    return f"{doc[:end].rstrip()}\n{textwrap.indent(block, indent)}\n{doc[end:]}"


def stored_generator(parameter_constraints):
    """Validate a ``make_*``'s parameters and give it ``out=`` and the on-disk options.

    Parameters
    ----------
    parameter_constraints : dict
        The generator's own parameter constraints, as for scikit-learn's
        ``validate_params``; those of the on-disk options are added.

    Returns
    -------
    decorator : callable
        Takes the generator and returns it validated, with the options of
        :data:`STORAGE_OPTIONS` appended to its signature and documented at
        the end of its Parameters section.
    """

    def decorate(make):
        own = inspect.signature(make)
        n_samples_name = next(iter(own.parameters))
        signature = own.replace(parameters=[
            *own.parameters.values(),
            *(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default)
              for name, default in STORAGE_OPTIONS.items()),
        ])

        @functools.wraps(make)
        def generate(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = bound.arguments
            storage = {name: arguments.pop(name) for name in STORAGE_OPTIONS}
            out = storage.pop("out")
            if out is None:
                return make(**arguments)
            if arguments.pop("return_X_y", False):
                raise ValueError("return_X_y=True cannot be used with out, which returns the "
                                 "file as a lazy Bunch.")
            random_state = arguments["random_state"]
            if not isinstance(random_state, Integral) or isinstance(random_state, bool):
                raise ValueError("out needs an int random_state to seed the file's chunks; "
                                 f"got {random_state!r}.")
            n_samples = arguments.pop(n_samples_name)
            write_dataset(validated, out, n_samples, **storage, **arguments)
            return load_dataset(out)

        generate.__signature__ = signature
        return_X_y = " and ``return_X_y`` False" if "return_X_y" in own.parameters else ""
        generate.__doc__ = _with_options_documented(
            make.__doc__, _DOC.format(return_X_y=return_X_y))
        validated = validate_params({**parameter_constraints, **_CONSTRAINTS},
                                    prefer_skip_nested_validation=True)(generate)
        return validated

    return decorate
