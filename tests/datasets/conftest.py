"""The paper's default SAXS-1D set, as reference values that hold on any CPU."""

from pathlib import Path

import numpy as np
import pytest

#: ``make_saxs_1d(20, random_state=0).data`` ("data") and
#: ``make_saxs_1d(21, noise="poisson", flux=100.0, random_state=1).data``
#: ("poisson"), written by the code of commit 7290de3 on an AMD EPYC. On the
#: Intel CPU where they were first recorded their SHA-256 were be562deb...
#: and 5d33fbb7... (the data of the two-shape code before ``shapes=``
#: existed); the AMD's differ in the last bits only.
PAPER_DEFAULT = Path(__file__).with_name("data") / "saxs_1d_paper_default.npz"
#: numba compiles the kernels for the CPU it runs on, and the profiles of two CPU
#: targets differ by up to 1.3e-14 relative (measured against NUMBA_CPU_NAME=generic;
#: 99 of 6,000 values differ, the Poisson counts not at all). A change of the
#: defaults moves them by far more.
CPU_RTOL = 1e-12


@pytest.fixture
def assert_paper_default():
    """``check(data, noisy)``: both equal the reference to ``CPU_RTOL``."""
    reference = np.load(PAPER_DEFAULT)

    def check(data, noisy=None):
        np.testing.assert_allclose(data, reference["data"], rtol=CPU_RTOL, atol=0)
        if noisy is not None:
            np.testing.assert_allclose(noisy, reference["poisson"], rtol=CPU_RTOL, atol=0)

    return check
