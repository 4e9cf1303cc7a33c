"""Batching and validation, shared by every simulator through ``_parameters``."""

import numba
import numpy as np
import pytest

from sciml_estimators.simulators import parallelepiped_iq, sphere_iq
from sciml_estimators.simulators._parameters import profile_parameters

Q = np.geomspace(1e-3, 0.5, 50)
SIMULATORS = {
    "sphere": (sphere_iq, {"radius": [10.0, 50.0, 500.0], "sld": [1.0, 2.0, -3.0]}),
    "parallelepiped": (
        parallelepiped_iq,
        {"length_b": [75.0, 75.0, 20.0], "length_c": [10.0, 400.0, 50.0]},
    ),
}


@pytest.fixture(params=list(SIMULATORS))
def simulator(request):
    return SIMULATORS[request.param]


def test_scalar_parameters_give_one_profile(simulator):
    iq, _ = simulator
    assert iq(Q).shape == (Q.size,)
    assert iq(list(Q)).shape == (Q.size,)


def test_array_parameters_give_one_row_per_profile(simulator):
    iq, arrays = simulator
    batch = iq(Q, **arrays, background=0.01)
    assert batch.shape == (3, Q.size)
    for i in range(3):
        one = iq(Q, **{name: values[i] for name, values in arrays.items()}, background=0.01)
        np.testing.assert_array_equal(batch[i], one)


def test_length_one_arrays_broadcast(simulator):
    iq, arrays = simulator
    name = next(iter(arrays))
    assert iq(Q, **{name: arrays[name][:1]}).shape == (1, Q.size)
    batch = iq(Q, **{name: arrays[name]}, scale=[2.0])
    np.testing.assert_array_equal(batch[1], iq(Q, **{name: arrays[name][1]}, scale=2.0))


def test_empty_batch(simulator):
    iq, arrays = simulator
    assert iq(Q, **{next(iter(arrays)): []}).shape == (0, Q.size)


def test_result_does_not_depend_on_thread_count(simulator):
    iq, arrays = simulator
    batch = iq(Q, **arrays)
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        np.testing.assert_array_equal(iq(Q, **arrays), batch)
    finally:
        numba.set_num_threads(threads)


def test_parallelepiped_rows_are_independent_of_grouping():
    # Profiles sharing (length_a, length_b) share inner integrals: interleave
    # groups, repeat parameters and check each row against a lone call.
    a = np.array([35.0, 10.0, 35.0, 35.0, 10.0, 35.0, 200.0])
    b = np.array([75.0, 75.0, 75.0, 75.0, 75.0, 20.0, 300.0])
    c = np.array([400.0, 400.0, 10.0, 400.0, 900.0, 10.0, 1000.0])
    q = np.geomspace(1e-3, 1.0, 60)
    batch = parallelepiped_iq(q, length_a=a, length_b=b, length_c=c)
    for i in range(a.size):
        np.testing.assert_array_equal(
            batch[i], parallelepiped_iq(q, length_a=a[i], length_b=b[i], length_c=c[i])
        )


def test_mismatched_lengths_name_the_parameters(simulator):
    iq, arrays = simulator
    name, other = list(arrays)  # in signature order
    with pytest.raises(ValueError, match=f"{name} has length 3, {other} has length 2"):
        iq(Q, **{name: arrays[name], other: arrays[other][:2]})


@pytest.mark.parametrize(
    "q, match",
    [
        (np.ones((2, 3)), r"q must be a 1-D array .* got an array of shape \(2, 3\)"),
        (0.1, r"q must be a 1-D array .* shape \(\)"),
        ([0.1, 0.0], r"q must be finite and positive \(1/Angstrom\); got 0.0 at index 1"),
        ([0.1, -1.0], "got -1.0 at index 1"),
        ([np.nan, 0.1], "got nan at index 0"),
        ([0.1, np.inf], "got inf at index 1"),
    ],
)
def test_bad_q_is_rejected(simulator, q, match):
    iq, _ = simulator
    with pytest.raises(ValueError, match=match):
        iq(q)


@pytest.mark.parametrize(
    "iq, name",
    [(sphere_iq, "radius"), (parallelepiped_iq, "length_a"),
     (parallelepiped_iq, "length_b"), (parallelepiped_iq, "length_c")],
)
@pytest.mark.parametrize(
    "value, shown", [(0.0, "0.0"), (-5.0, "-5.0"), ([1.0, -5.0], "-5.0 at index 1")]
)
def test_non_positive_lengths_are_rejected(iq, name, value, shown):
    with pytest.raises(ValueError, match=rf"{name} must be positive \(Angstrom\); got {shown}"):
        iq(Q, **{name: value})


@pytest.mark.parametrize("name", ["sld", "sld_solvent", "scale", "background", "radius"])
def test_non_finite_parameters_are_rejected(name):
    with pytest.raises(ValueError, match=f"{name} must be finite; got nan at index 1"):
        sphere_iq(Q, **{name: [1.0, np.nan]})
    with pytest.raises(ValueError, match=f"{name} must be finite; got inf"):
        sphere_iq(Q, **{name: np.inf})


def test_two_dimensional_parameters_are_rejected(simulator):
    iq, arrays = simulator
    name = next(iter(arrays))
    with pytest.raises(ValueError, match=rf"{name} must be a scalar or a 1-D array .* \(2, 2\)"):
        iq(Q, **{name: np.ones((2, 2))})


def test_unknown_and_positional_parameters_are_type_errors(simulator):
    iq, _ = simulator
    with pytest.raises(TypeError, match="unexpected keyword argument 'radius_pd'"):
        iq(Q, radius_pd=0.1)
    with pytest.raises(TypeError, match="positional argument"):
        iq(Q, 50.0)


def test_profile_parameters_returns_contiguous_float64_columns():
    q, columns, batched = profile_parameters(
        [0.1, 0.2], {"x": 1, "y": np.arange(4)[::2]}, positive=("x",)
    )
    assert batched
    assert q.dtype == np.float64
    for column in columns:
        assert column.dtype == np.float64
        assert column.flags.c_contiguous
        assert column.shape == (2,)
    np.testing.assert_array_equal(columns[1], [0.0, 2.0])
