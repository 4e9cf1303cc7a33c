"""h5py, the optional dependency of the file readers and writers (the ``files`` extra)."""


def import_h5py(purpose):
    """The h5py module, or an ImportError saying how to install it.

    Parameters
    ----------
    purpose : str
        What needs it, to start the message (e.g. "Reading SLSTR files").
    """
    try:
        import h5py
    except ImportError:
        raise ImportError(
            f"{purpose} needs h5py: pip install h5py (or pip install 'sciml-estimators[files]')."
        ) from None
    return h5py
