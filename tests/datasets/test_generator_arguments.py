"""The generators' counts and Poisson flux: refused up front, with the argument named."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils._param_validation import InvalidParameterError

from sciml_estimators.datasets import (
    Instrument,
    make_dms,
    make_flimp_images,
    make_magnons,
    make_saxs_1d,
    make_saxs_2d,
    make_saxs_domain_shift,
    make_slstr_scenes,
)
from sciml_estimators.datasets._poisson_noise import MAX_FLUX, MIN_FLUX

#: (generator, its count argument, small-size keywords)
COUNTED = [
    (make_dms, "n_samples", {"shape": (8, 8)}),
    (make_flimp_images, "n_images", {"shape": (8, 8)}),
    (make_magnons, "n_samples", {}),
    (make_saxs_1d, "n_samples", {}),
    (make_saxs_2d, "n_samples", {"shape": 8}),
    (make_slstr_scenes, "n_scenes", {"size": 8}),
]
POISSON = [
    (make_dms, {"shape": (8, 8)}),
    (make_magnons, {}),
    (make_saxs_1d, {}),
    (make_saxs_2d, {"shape": 8}),
]


@pytest.mark.parametrize("make, count, small", COUNTED)
@pytest.mark.parametrize("value", [True, np.True_])
def test_a_bool_is_not_a_count(make, count, small, value):
    # True passed as 1 and four of these failed deep in numpy ("expected a
    # sequence of integers or a single integer, got 'True'").
    with pytest.raises(InvalidParameterError,
                       match=rf"'{count}' parameter of {make.__name__} must be an int in "
                             r"the range \[\d, inf\) \(not a bool\)\. Got (np\.)?True"):
        make(value, **small)


def test_a_bool_is_not_a_size():
    with pytest.raises(InvalidParameterError, match=r"'size' parameter .* \(not a bool\)"):
        make_slstr_scenes(2, size=True)


@pytest.mark.parametrize("make, small", POISSON)
def test_flux_beyond_what_poisson_draws_take_is_refused_up_front(make, small):
    # numpy said only "lam value too large", after the whole simulation.
    with pytest.raises(InvalidParameterError,
                       match=rf"'flux' parameter of {make.__name__} must be a float in the "
                             r"range \[1e-12, 1000000000000\.0\] \(not a bool\)\. Got 1e\+30"):
        make(4, noise="poisson", flux=1e30, **small)
    for flux in [MIN_FLUX, MAX_FLUX]:
        data = make(4, noise="poisson", flux=flux, random_state=0, **small).data
        assert np.all(np.isfinite(data))


def test_magnon_background_is_bounded_like_the_flux():
    with pytest.raises(InvalidParameterError, match=r"'background' parameter .* \[0\.0, "):
        make_magnons(2, noise="poisson", background=1e30)


def test_instrument_flux_is_bounded_like_the_generators():
    for flux in [1e30, 1e-300, 0.0]:
        with pytest.raises(ValueError, match=r"Instrument flux must be in \[1e-12, 1e\+12\]"):
            Instrument(flux=flux)
    assert Instrument(flux=MAX_FLUX).flux == MAX_FLUX


def test_domain_shift_names_the_split_that_leaves_an_instrument_too_few():
    # n_samples=4 passed validation, then make_saxs_1d(1) said "n_samples (1)".
    with pytest.raises(ValueError, match=r"n_samples=4 with shifted_fraction=0.2 gives 3 "
                                         r"source and 1 shifted profiles; .* at least 2"):
        make_saxs_domain_shift(4)
    assert make_saxs_domain_shift(8, random_state=0).data.shape == (8, 300)


ANYTHING = st.one_of(
    st.integers(-3, 5), st.booleans(), st.floats(allow_nan=True, allow_infinity=True),
    st.none(), st.text(max_size=3), st.just(np.int64(3)), st.just(np.float64(2.0)),
)


@settings(derandomize=True, max_examples=40, deadline=None)
@given(value=ANYTHING)
def test_n_samples_is_a_count_or_named_in_the_error(value):
    is_count = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if is_count and value >= 1:
        assert make_dms(value, shape=(8, 8), random_state=0).data.shape == (value, 8, 8)
    else:
        with pytest.raises(InvalidParameterError, match="'n_samples' parameter of make_dms"):
            make_dms(value, shape=(8, 8))


@settings(derandomize=True, max_examples=40, deadline=None)
@given(flux=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10**13),
                      st.booleans()))
def test_flux_gives_counts_or_is_named_in_the_error(flux):
    is_real = isinstance(flux, (int, float)) and not isinstance(flux, bool)
    if is_real and MIN_FLUX <= flux <= MAX_FLUX:
        saxs = make_saxs_1d(2, noise="poisson", flux=flux, random_state=0)
        assert np.all(np.isfinite(saxs.data)) and np.all(saxs.data >= 0)
        assert np.all(np.isfinite(saxs.uncertainty))
    else:
        with pytest.raises(InvalidParameterError, match="'flux' parameter of make_saxs_1d"):
            make_saxs_1d(2, noise="poisson", flux=flux)
