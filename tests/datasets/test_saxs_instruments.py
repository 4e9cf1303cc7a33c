
import numpy as np
import pytest

from sciml_estimators.datasets import make_saxs_1d
from sciml_estimators.datasets._saxs import DEFAULT_Q, FIXED, FIXED_LENGTHS
from sciml_estimators.datasets._saxs_instruments import Instrument
from sciml_estimators.estimators import resample_profile
from sciml_estimators.simulators import parallelepiped_iq, pinhole_smear, sphere_iq

#: Three instruments of 120 points: log and linear grids, smeared or not, other fluxes.
INSTRUMENTS = [
    Instrument(1e-3, 0.5, 120),
    Instrument(5e-4, 0.6, 120, spacing="linear", resolution=0.1, flux=100.0),
    Instrument(2e-3, 0.3, 120, resolution=0.03, flux=5000.0),
]


def test_default_instrument_is_the_default_grid():
    np.testing.assert_array_equal(Instrument().grid(), DEFAULT_Q)
    linear = Instrument(0.01, 0.3, 30, spacing="linear").grid()
    np.testing.assert_allclose(linear, np.linspace(0.01, 0.3, 30), rtol=0)
    assert Instrument(1e-3, 0.5) == Instrument(0.001, 0.5, 300, "log", None, 1000)
    with pytest.raises(AttributeError):
        Instrument().q_min = 0.1  # frozen


def test_without_instrument_the_data_are_unchanged(assert_paper_default):
    # The reference of test_saxs.py's paper-set test, from before instrument= existed.
    data = make_saxs_1d(20, random_state=0, instrument=None).data
    noisy = make_saxs_1d(21, noise="poisson", flux=100.0, random_state=1)
    assert_paper_default(data, noisy.data)
    assert "instrument_index" not in noisy and noisy.q.shape == (300,)


@pytest.mark.parametrize("noise", [None, "poisson"])
def test_one_instrument_is_the_explicit_grid_resolution_and_flux(noise):
    instrument = INSTRUMENTS[1]
    via = make_saxs_1d(30, instrument=instrument, noise=noise, random_state=0)
    explicit = make_saxs_1d(30, q=instrument.grid(), resolution=0.1, flux=100.0, noise=noise,
                            random_state=0)
    np.testing.assert_array_equal(via.data, explicit.data)
    np.testing.assert_array_equal(via.q, explicit.q)
    np.testing.assert_array_equal(via.target, explicit.target)
    assert via.feature_names == explicit.feature_names and via.DESCR == explicit.DESCR
    assert "instrument_index" not in via


def test_instrument_list_gives_each_sample_its_instruments_grid():
    saxs = make_saxs_1d(60, instrument=INSTRUMENTS, random_state=0)
    assert saxs.data.shape == saxs.q.shape == (60, 120)
    assert saxs.instrument_index.shape == (60,)
    assert set(saxs.instrument_index.tolist()) == {0, 1, 2}
    for i, k in enumerate(saxs.instrument_index):
        np.testing.assert_array_equal(saxs.q[i], INSTRUMENTS[k].grid())
    assert len(saxs.feature_names) == 120
    assert "one of 3 instruments" in saxs.DESCR and "linear-spaced" in saxs.DESCR
    # Sizes and class order are drawn first, as without instruments.
    alone = make_saxs_1d(60, q=INSTRUMENTS[0].grid(), random_state=0)
    np.testing.assert_array_equal(saxs.target, alone.target)
    for key, values in alone.parameters.items():
        np.testing.assert_array_equal(saxs.parameters[key], values)


def test_instrument_list_profiles_are_the_single_instrument_simulations():
    saxs = make_saxs_1d(45, instrument=INSTRUMENTS, random_state=1)
    for k, instrument in enumerate(INSTRUMENTS):
        rows = saxs.instrument_index == k
        alone = make_saxs_1d(45, instrument=instrument, random_state=1)
        np.testing.assert_allclose(saxs.data[rows], alone.data[rows], rtol=1e-12)
    # And directly from the simulators, from the Bunch's parameters.
    for i in range(10):
        instrument = INSTRUMENTS[saxs.instrument_index[i]]
        q = saxs.q[i]
        if saxs.target[i] == 0:
            params = {"radius": saxs.parameters["radius"][i], **FIXED}
            simulator = sphere_iq
        else:
            params = {"length_c": saxs.parameters["length_c"][i], **FIXED_LENGTHS, **FIXED}
            simulator = parallelepiped_iq
        if instrument.resolution is None:
            expected = simulator(q, **params)
        else:
            expected = pinhole_smear(simulator, q, instrument.resolution, **params)
        np.testing.assert_allclose(saxs.data[i], expected, rtol=1e-12)


def test_instrument_list_noise_counts_at_each_instruments_flux():
    ideal = make_saxs_1d(300, instrument=INSTRUMENTS, random_state=0)
    noisy = make_saxs_1d(300, instrument=INSTRUMENTS, noise="poisson", random_state=0)
    np.testing.assert_array_equal(noisy.instrument_index, ideal.instrument_index)
    flux = np.array([item.flux for item in INSTRUMENTS])[noisy.instrument_index]
    exposure = flux[:, None] * noisy.q / noisy.q[:, -1:]
    counts = noisy.data * exposure
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-6)
    expected = ideal.data * exposure
    z = (counts - expected) / np.sqrt(expected)
    assert z.std() == pytest.approx(1.0, rel=0.05)
    np.testing.assert_allclose(
        noisy.uncertainty, np.sqrt(np.maximum(counts, 1)) / exposure, rtol=1e-9
    )


def test_one_element_list_still_gives_per_sample_grids():
    saxs = make_saxs_1d(8, instrument=(INSTRUMENTS[2],), random_state=0)
    assert saxs.q.shape == (8, 120)
    np.testing.assert_array_equal(saxs.instrument_index, 0)
    alone = make_saxs_1d(8, instrument=INSTRUMENTS[2], random_state=0)
    np.testing.assert_array_equal(saxs.data, alone.data)


def test_per_row_grids_resample_onto_one_grid():
    saxs = make_saxs_1d(40, instrument=INSTRUMENTS[:2], random_state=0)
    target = np.geomspace(2e-3, 0.45, 80)
    resampled = resample_profile(saxs.q, saxs.data, target)
    assert resampled.shape == (40, 80)
    for k in range(2):
        rows = saxs.instrument_index == k
        np.testing.assert_array_equal(
            resampled[rows], resample_profile(INSTRUMENTS[k].grid(), saxs.data[rows], target)
        )
    # The same grid in every row is the 1-D case.
    one = np.broadcast_to(INSTRUMENTS[0].grid(), (5, 120))
    np.testing.assert_array_equal(
        resample_profile(one, saxs.data[:5], target),
        resample_profile(INSTRUMENTS[0].grid(), saxs.data[:5], target),
    )


def test_per_row_grid_errors():
    q = np.tile(np.geomspace(1e-3, 0.5, 10), (3, 1))
    with pytest.raises(ValueError, match=r"same shape; got q_from \(3, 10\) and intensity \(10,\)"):
        resample_profile(q, np.ones(10), q[0])
    with pytest.raises(ValueError, match=r"same shape; got q_from \(3, 10\) and intensity"):
        resample_profile(q, np.ones((2, 10)), q[0])
    bad = q.copy()
    bad[2] = bad[2, ::-1]
    with pytest.raises(ValueError, match=r"q_from \(row 2\) must be strictly increasing"):
        resample_profile(bad, np.ones((3, 10)), q[0])
    short = q.copy()
    short[1] = np.geomspace(1e-3, 0.3, 10)
    with pytest.raises(ValueError, match=r"\[0\.001, 0\.3\] 1/A does not cover"):
        resample_profile(short, np.ones((3, 10)), q[0])


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"q_min": 0.5, "q_max": 0.1}, "q_min must be smaller than q_max"),
        ({"q_min": 0.1, "q_max": 0.1}, "q_min must be smaller than q_max"),
        ({"q_min": 0.0}, "q_min must be a finite positive number"),
        ({"q_max": -1.0}, "q_max must be a finite positive number"),
        ({"q_max": np.inf}, "q_max must be a finite positive number"),
        ({"n_points": 1}, "n_points must be an integer of at least 2"),
        ({"n_points": 10.0}, "n_points must be an integer of at least 2"),
        ({"spacing": "geometric"}, "spacing must be 'log' or 'linear'; got 'geometric'"),
        ({"resolution": -0.1}, "resolution must be None"),
        ({"flux": 0.0}, r"flux must be in \[1e-12, 1e\+12\]; got 0.0"),
    ],
)
def test_bad_instruments_say_what_is_expected(fields, message):
    with pytest.raises(ValueError, match=message):
        Instrument(**fields)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"instrument": [Instrument(n_points=50), Instrument(n_points=60)]},
         "same n_points.*got n_points 50, 60"),
        ({"instrument": []}, "non-empty sequence"),
        ({"instrument": [Instrument(), "saxs"]},
         "sequence of Instrument or MeasuredInstrument; got str"),
        ({"instrument": Instrument(), "q": DEFAULT_Q}, "q cannot be given with instrument="),
        ({"instrument": [Instrument()], "resolution": 0.1, "flux": 5.0},
         "resolution, flux cannot be given with instrument="),
        ({"instrument": "saxs"}, "instrument"),
    ],
)
def test_bad_instrument_arguments_say_what_is_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_saxs_1d(4, **kwargs)


def test_classifier_predicts_per_row_grids(saxs_small):
    from sciml_estimators import SAXSClassifier

    X_train, y_train, _, _ = saxs_small
    clf = SAXSClassifier(q=DEFAULT_Q, max_epochs=2, random_state=0).fit(X_train, y_train)
    wide = [Instrument(9e-4, 0.55, 200), Instrument(5e-4, 0.6, 200, spacing="linear")]
    saxs = make_saxs_1d(20, instrument=wide, random_state=0)
    on_training_grid = resample_profile(saxs.q, saxs.data, DEFAULT_Q)
    np.testing.assert_array_equal(clf.predict_proba(saxs.data, q=saxs.q),
                                  clf.predict_proba(on_training_grid))
