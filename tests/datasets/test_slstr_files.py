import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.utils._param_validation import InvalidParameterError

from sciml_estimators.datasets import load_slstr_hdf5, load_slstr_scene, load_slstr_scenes

h5py = pytest.importorskip("h5py")
netCDF4 = pytest.importorskip("netCDF4", reason="writes test products (test extra)")

H, W = 6, 8  # 1 km grid; the 500 m "a" stripe grid is 12 x 16
FILL16 = -32768
RAD_SCALE, RAD_OFFSET = 0.01, 0.5
BT_SCALE, BT_OFFSET = 0.01, 283.73
IRRADIANCE = np.array([1500.0, 1510.0, -1.0, 1520.0])  # -1 is the fill value: mean 1510
BAYES = np.array([[0, 1, 2, 3, 4, 8, 15, 0]] * H, dtype=np.uint8)
MEANINGS = "single_low single_moderate dual_low dual_moderate"

# Image coordinates (m): x across track with a small skew, y along track.
ROWS, COLS = np.mgrid[0:H, 0:W]
X_IN = (COLS - 4) * 1000.0 + 50.0 * ROWS
Y_IN = ROWS * 1000.0
# Tie points, x decreasing along a row as in real products.
TIE_X = np.array([8000.0, 4000.0, 0.0, -4000.0, -8000.0])
TIE_Y = np.array([-2000.0, 3000.0, 8000.0])


def sza_field(x, y):
    """Linear in x and y, so bilinear interpolation reproduces it exactly."""
    return 30.0 + 1e-3 * x + 2e-3 * y


def raw_radiance(k):
    rng = np.random.default_rng(k)
    raw = rng.integers(1000, 5000, size=(2 * H, 2 * W)).astype(np.int16)
    if k == 1:
        raw[2, 3] = FILL16  # one empty 500 m pixel: its 1 km pixel (1, 1) is NaN
    return raw


def raw_bt(k):
    raw = np.full((H, W), 1000 * (k - 6), dtype=np.int16)
    raw[:, -1] = FILL16  # empty swath edge
    return raw


def write_nc(path, name, values, dims, **attrs):
    with netCDF4.Dataset(path, "w", format="NETCDF4") as ds:
        for dim, n in zip(dims, values.shape):
            ds.createDimension(dim, n)
        fill = attrs.pop("_FillValue", None)
        var = ds.createVariable(name, values.dtype, dims, fill_value=fill)
        var.set_auto_maskandscale(False)
        var.setncatts(attrs)
        var[...] = values


def write_product(folder, skip=(), flag_attrs=True):
    folder.mkdir(parents=True)
    files = {}
    for k in range(1, 7):
        files[f"S{k}_radiance_an.nc"] = (
            f"S{k}_radiance_an", raw_radiance(k), ("rows", "columns"),
            {"_FillValue": np.int16(FILL16), "scale_factor": RAD_SCALE, "add_offset": RAD_OFFSET},
        )
        files[f"S{k}_quality_an.nc"] = (
            f"S{k}_solar_irradiance_an", IRRADIANCE * k, ("detectors",),
            {"_FillValue": -1.0 * k},
        )
    for k in (7, 8, 9):
        files[f"S{k}_BT_in.nc"] = (
            f"S{k}_BT_in", raw_bt(k), ("rows", "columns"),
            {"_FillValue": np.int16(FILL16), "scale_factor": BT_SCALE, "add_offset": BT_OFFSET},
        )
    tie_x, tie_y = np.meshgrid(TIE_X, TIE_Y)
    files["geometry_tn.nc"] = ("solar_zenith_tn", sza_field(tie_x, tie_y), ("rows", "columns"), {})
    flags = {"flag_masks": np.array([1, 2, 4, 8], np.uint8), "flag_meanings": MEANINGS}
    if flag_attrs is not True:
        flags = flag_attrs or {}
    files["flags_in.nc"] = ("bayes_in", BAYES, ("rows", "columns"), flags)
    for name, (variable, values, dims, attrs) in files.items():
        if name not in skip:
            write_nc(folder / name, variable, values, dims, **attrs)
    for name, x, y, suffix in [("cartesian_in.nc", X_IN, Y_IN, "in"),
                               ("cartesian_tx.nc", tie_x, tie_y, "tx")]:
        if name not in skip:
            with netCDF4.Dataset(folder / name, "w") as ds:
                ds.createDimension("rows", x.shape[0])
                ds.createDimension("columns", x.shape[1])
                for axis, values in [("x", x), ("y", y)]:
                    ds.createVariable(f"{axis}_{suffix}", "f8", ("rows", "columns"))[:] = values
    return folder


def write_hdf5(path, shape=(H, W), bts_channels=3, seed=0):
    rng = np.random.default_rng(seed)
    refs = rng.uniform(0, 1, (*shape, 6))
    bts = rng.uniform(220, 300, (*shape, bts_channels))
    bts[0, 0, 1] = np.nan
    bayes = rng.integers(0, 3, (*shape, 1)).astype(np.uint8)
    with h5py.File(path, "w") as f:
        f["refs"], f["bts"], f["bayes"] = refs, bts, bayes
    return path, refs, bts, bayes


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    return write_product(tmp_path_factory.mktemp("slstr") / "S3A_SL_1_RBT____TEST.SEN3")


def expected_reflectance(k):
    radiance = raw_radiance(k) * RAD_SCALE + RAD_OFFSET
    radiance[raw_radiance(k) == FILL16] = np.nan
    blocks = np.empty((H, W))
    for i in range(H):
        for j in range(W):
            blocks[i, j] = radiance[2 * i:2 * i + 2, 2 * j:2 * j + 2].mean()
    f0 = 1510.0 * k
    return np.pi * blocks / (f0 * np.cos(np.deg2rad(sza_field(X_IN, Y_IN))))


def test_product_layout_and_values(product):
    scene = load_slstr_scene(product)
    assert scene.data.shape == (1, 9, H, W) and scene.data.dtype == np.float32
    assert scene.target.shape == (1, H, W) and scene.target.dtype == np.uint8
    assert scene.valid.dtype == bool
    assert scene.channel_names == [f"S{k}" for k in range(1, 10)]
    assert scene.target_names == ["clear", "cloud"]
    assert scene.filenames == [str(product)]
    for k in range(1, 7):
        np.testing.assert_allclose(scene.data[0, k - 1], expected_reflectance(k), rtol=1e-6)
    # By hand at pixel (2, 5): x = 1100 m, y = 2000 m -> SZA = 35.1 deg.
    raw = raw_radiance(3)[4:6, 10:12].astype(float)
    by_hand = np.pi * (raw.mean() * RAD_SCALE + RAD_OFFSET) / (3 * 1510 * np.cos(np.radians(35.1)))
    assert scene.data[0, 2, 2, 5] == pytest.approx(by_hand, rel=1e-6)
    for k in (7, 8, 9):
        assert scene.data[0, k - 1, 0, 0] == pytest.approx(1000 * (k - 6) * BT_SCALE + BT_OFFSET)


def test_fill_values_are_nan_and_invalid_not_errors(product):
    scene = load_slstr_scene(product)
    assert np.isnan(scene.data[0, 6:, :, -1]).all()  # the BT swath edge
    assert np.isnan(scene.data[0, 0, 1, 1])  # one empty 500 m pixel in S1
    expected = np.ones((H, W), bool)
    expected[:, -1] = False
    expected[1, 1] = False
    np.testing.assert_array_equal(scene.valid[0], expected)
    assert np.isfinite(scene.data[0][:, expected]).all()


@pytest.mark.parametrize(
    "bayes_flags, bits",
    [("any", 15), ("single_moderate", 2), (["single_low", "dual_low"], 5), (8, 8)],
)
def test_bayes_flags(product, bayes_flags, bits):
    target = load_slstr_scene(product, bayes_flags=bayes_flags).target[0]
    np.testing.assert_array_equal(target, (BAYES & bits) != 0)


def test_bayes_flag_names_without_attributes_and_unknown(tmp_path):
    folder = write_product(tmp_path / "p.SEN3", flag_attrs=False)
    target = load_slstr_scene(folder, bayes_flags="dual_low").target[0]
    np.testing.assert_array_equal(target, (BAYES & 4) != 0)
    with pytest.raises(ValueError, match=r"flags_in.nc.*unknown bayes_in flag 'cloudy'"):
        load_slstr_scene(folder, bayes_flags="cloudy")


def test_bayes_fill_value_is_clear_and_invalid(tmp_path):
    attrs = {"_FillValue": np.uint8(15)}  # column 6 of BAYES
    scene = load_slstr_scene(write_product(tmp_path / "p.SEN3", flag_attrs=attrs))
    assert not scene.target[0, :, 6].any() and not scene.valid[0, :, 6].any()
    np.testing.assert_array_equal(scene.target[0, :, :6], BAYES[:, :6] != 0)


def test_bayes_flag_names_come_from_the_file(tmp_path):
    attrs = {"flag_masks": np.array([8, 1], np.uint8), "flag_meanings": "single_low cloudy"}
    folder = write_product(tmp_path / "p.SEN3", flag_attrs=attrs)
    for name, bits in [("single_low", 8), ("cloudy", 1)]:
        target = load_slstr_scene(folder, bayes_flags=name).target[0]
        np.testing.assert_array_equal(target, (BAYES & bits) != 0)
    with pytest.raises(ValueError, match=r"known flags: \['cloudy', 'single_low'\]"):
        load_slstr_scene(folder, bayes_flags="dual_low")


def test_size_picks_evenly_spaced_rows_and_columns(product):
    full = load_slstr_scene(product)
    small = load_slstr_scene(product, size=3)
    rows, cols = [0, 2, 5], [0, 4, 7]  # round(linspace(0, 5, 3)), round(linspace(0, 7, 3))
    np.testing.assert_array_equal(small.data[0], full.data[0][:, rows][:, :, cols])
    np.testing.assert_array_equal(small.target[0], full.target[0][rows][:, cols])
    np.testing.assert_array_equal(small.valid[0], full.valid[0][rows][:, cols])
    with pytest.raises(ValueError, match="size=7 exceeds"):
        load_slstr_scene(product, size=7)


def test_missing_file_names_file_and_folder(tmp_path):
    folder = write_product(tmp_path / "p.SEN3", skip=("S3_radiance_an.nc",))
    with pytest.raises(FileNotFoundError, match=r"p\.SEN3: missing S3_radiance_an\.nc"):
        load_slstr_scene(folder)


def test_missing_variable_names_file_and_variable(tmp_path):
    folder = write_product(tmp_path / "p.SEN3", skip=("flags_in.nc",))
    write_nc(folder / "flags_in.nc", "cloud_in", BAYES.astype(np.uint16), ("rows", "columns"))
    with pytest.raises(ValueError, match=r"flags_in\.nc: no variable 'bayes_in'"):
        load_slstr_scene(folder)


def test_not_a_product(tmp_path):
    (tmp_path / "readme.txt").write_text("hello")
    with pytest.raises(ValueError, match="not an SLSTR L1B product folder.*S1_radiance_an.nc"):
        load_slstr_scene(tmp_path)
    with pytest.raises(ValueError, match="not a folder.*load_slstr_hdf5"):
        load_slstr_scene(tmp_path / "readme.txt")


def test_hdf5_layout(tmp_path):
    path, refs, bts, bayes = write_hdf5(tmp_path / "scene.hdf")
    scene = load_slstr_hdf5(path)
    assert scene.data.shape == (1, 9, H, W)
    np.testing.assert_allclose(scene.data[0, :6], refs.transpose(2, 0, 1).astype(np.float32))
    np.testing.assert_allclose(scene.data[0, 6:], bts.transpose(2, 0, 1).astype(np.float32))
    np.testing.assert_array_equal(scene.target[0], bayes[..., 0] > 0)
    assert not scene.valid[0, 0, 0] and scene.valid[0].sum() == H * W - 1


def test_hdf5_missing_bayes_flags_are_invalid_not_clear(tmp_path):
    # NaN flags were labelled clear (target 0) with valid True.
    path, refs, bts, bayes = write_hdf5(tmp_path / "scene.h5")
    flags = bayes[..., 0].astype(np.float64)
    flags[1, 2], flags[3, 4], flags[4, 0] = np.nan, -1.0, np.inf
    with h5py.File(path, "r+") as f:
        del f["bayes"]
        f["bayes"] = flags
    scene = load_slstr_hdf5(path)
    missing = np.zeros((H, W), bool)
    missing[1, 2] = missing[3, 4] = missing[4, 0] = True
    assert not scene.valid[0][missing].any() and not scene.target[0][missing].any()
    expected_valid = ~missing
    expected_valid[0, 0] = False  # the NaN brightness temperature of write_hdf5
    np.testing.assert_array_equal(scene.valid[0], expected_valid)
    np.testing.assert_array_equal(scene.target[0][~missing], (flags > 0)[~missing])


def test_hdf5_bayes_fill_value_is_invalid_not_clear(tmp_path):
    path, refs, bts, bayes = write_hdf5(tmp_path / "scene.h5")
    with h5py.File(path, "r+") as f:
        f["bayes"][2, 3, 0] = 255
        f["bayes"].attrs["_FillValue"] = np.uint8(255)
    scene = load_slstr_hdf5(path)
    assert not scene.valid[0, 2, 3] and scene.target[0, 2, 3] == 0
    assert scene.valid[0].sum() == H * W - 2


FLAG = st.one_of(st.sampled_from([0.0, 1.0, 2.0, 8.0, np.nan, np.inf, -np.inf, -1.0]),
                 st.floats(-3, 16))


@settings(derandomize=True, max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flags=hnp.arrays(np.float64, (3, 4), elements=FLAG),
       size=st.one_of(st.none(), st.integers(-1, 4), st.booleans(), st.just(2.0)))
def test_hdf5_labels_only_what_the_flags_say(tmp_path, flags, size):
    # Every pixel is cloud (bayes > 0), clear (bayes == 0) or has no label
    # (valid False, target 0); a size is a count up to the scene's, or named.
    path = tmp_path / "any.h5"
    with h5py.File(path, "w") as f:
        f["refs"], f["bts"] = np.full((3, 4, 6), 0.2), np.full((3, 4, 3), 280.0)
        f["bayes"] = flags
    is_size = size is None or (type(size) is int and 1 <= size <= 3)
    if not is_size:
        error = InvalidParameterError if type(size) is not int or size < 1 else ValueError
        with pytest.raises(error, match="size"):
            load_slstr_hdf5(path, size=size)
        return
    scene = load_slstr_hdf5(path, size=size)
    expected = flags
    if size is not None:  # evenly spaced rows and columns, the nearest ones
        rows, cols = (np.round(np.linspace(0, n - 1, size)).astype(int) for n in (3, 4))
        expected = flags[rows][:, cols]
    labelled = np.isfinite(expected) & (expected >= 0)
    np.testing.assert_array_equal(scene.valid[0], labelled)
    np.testing.assert_array_equal(scene.target[0], labelled & (expected > 0))


def test_hdf5_wrong_channel_count(tmp_path):
    path, *_ = write_hdf5(tmp_path / "scene.h5", bts_channels=2)
    with pytest.raises(ValueError, match=r"scene\.h5: dataset 'bts' has shape \(6, 8, 2\); "
                                         r"expected \(6, 8, 3\)"):
        load_slstr_hdf5(path)


def test_scenes_stack_both_layouts(product, tmp_path):
    path, *_ = write_hdf5(tmp_path / "scene.h5")
    scenes = load_slstr_scenes([product, path])
    assert scenes.data.shape == (2, 9, H, W) and scenes.target.shape == (2, H, W)
    assert scenes.filenames == [str(product), str(path)]
    np.testing.assert_array_equal(scenes.data[1], load_slstr_hdf5(path).data[0])
    np.testing.assert_array_equal(scenes.valid[0], load_slstr_scene(product).valid[0])


def test_scenes_errors(product, tmp_path):
    path, *_ = write_hdf5(tmp_path / "big.h5", shape=(7, 9))
    with pytest.raises(ValueError, match=r"big\.h5: scene shape \(7, 9\) differs from .*SEN3: "
                                         r"\(6, 8\); pass size="):
        load_slstr_scenes([product, path])
    assert load_slstr_scenes([product, path], size=4).data.shape == (2, 9, 4, 4)
    with pytest.raises(ValueError, match="paths is empty"):
        load_slstr_scenes([])
    with pytest.raises(FileNotFoundError, match="nothing.h5"):
        load_slstr_scenes([tmp_path / "nothing.h5"])


def test_without_h5py(product, monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match=r"sciml-estimators\[files\]"):
        load_slstr_scene(product)
