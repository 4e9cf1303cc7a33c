"""Shared fixture: the sasmodels reference engine (test extra)."""

import numpy as np
import pytest


@pytest.fixture(scope="session")
def sasmodels_iq():
    """Return ``iq(model_name, q, **params)`` computed by sasmodels 1.1.

    Uses the compiled C engine in double precision, one kernel per call, as a
    sasmodels user would. Skips the test when sasmodels is not installed.
    """
    core = pytest.importorskip(
        "sasmodels.core", reason="sasmodels (test extra) is the reference simulator"
    )
    from sasmodels.direct_model import call_kernel

    models = {}

    def iq(name, q, **params):
        if name not in models:
            models[name] = core.load_model(name, dtype="double", platform="dll")
        kernel = models[name].make_kernel([np.asarray(q, dtype=np.float64)])
        return call_kernel(kernel, params)

    return iq
