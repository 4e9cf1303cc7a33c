"""Optional dependencies of the file readers and writers (the ``files`` extra)."""

import importlib

_INSTALL = 'pip install "sciml-estimators[files]"'


def import_optional(name, purpose):
    """The module ``name``, or an ImportError saying how to install it.

    Parameters
    ----------
    name : str
        The module to import, such as ``"h5py"`` or ``"zarr"``.
    purpose : str
        What needs it, to start the message (e.g. "Reading SLSTR files").

    Returns
    -------
    module : module
        The imported module.

    Raises
    ------
    ImportError
        If the module is not installed; the message names the ``files`` extra.
    """
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(
            f"{purpose} needs {name}: pip install {name} (or {_INSTALL})."
        ) from None


def import_h5py(purpose):
    """h5py, or an ImportError naming the ``files`` extra; see :func:`import_optional`."""
    return import_optional("h5py", purpose)


def import_zarr(purpose):
    """zarr, or an ImportError naming the ``files`` extra; see :func:`import_optional`."""
    return import_optional("zarr", purpose)
