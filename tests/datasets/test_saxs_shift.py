import numpy as np
import pytest

from sciml_estimators.datasets import make_saxs_1d, make_saxs_domain_shift
from sciml_estimators.datasets._saxs_shift import SHIFTED, SOURCE
from sciml_estimators.estimators import resample_profile


def test_two_instruments_on_the_source_grid():
    saxs = make_saxs_domain_shift(50, shapes=["sphere", "cylinder"], random_state=0)
    assert saxs.data.shape == (50, 300) and saxs.domain.tolist() == [0] * 40 + [1] * 10
    np.testing.assert_array_equal(saxs.q, SOURCE["q"])
    assert list(saxs.target_names) == ["sphere", "cylinder"]
    # The source rows are make_saxs_1d's noise-added profiles, drawn first
    # from the same random state; the shifted ones come after, resampled.
    rng = np.random.RandomState(0)
    source = make_saxs_1d(40, shapes=("sphere", "cylinder"), noise="poisson", flux=1000.0,
                          random_state=rng)
    shifted = make_saxs_1d(10, shapes=("sphere", "cylinder"), q=SHIFTED["q"], resolution=0.1,
                           noise="poisson", flux=100.0, random_state=rng)
    np.testing.assert_array_equal(saxs.data[:40], source.data)
    np.testing.assert_allclose(saxs.data[40:],
                               resample_profile(SHIFTED["q"], shifted.data, SOURCE["q"]))
    np.testing.assert_array_equal(saxs.target, np.concatenate([source.target, shifted.target]))


def test_shifted_instrument_covers_the_source_range():
    assert SHIFTED["q"][0] < SOURCE["q"][0] and SHIFTED["q"][-1] > SOURCE["q"][-1]


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="shifted_fraction"):
        make_saxs_domain_shift(50, shifted_fraction=1.0)
    with pytest.raises(ValueError, match="Unknown shape|unknown shape"):
        make_saxs_domain_shift(50, shapes=["cube"])
