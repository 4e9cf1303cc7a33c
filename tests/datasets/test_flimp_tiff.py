"""FLImP TIFF files: round trips with the pixel size, and files as microscopes write them."""

import numpy as np
import pytest
import tifffile

from sciml_estimators.datasets import load_flimp_tiff, make_flimp_images, save_flimp_tiff


@pytest.mark.parametrize("n_frames", [1, 3])
def test_simulated_images_round_trip_with_their_pixel_size(tmp_path, n_frames):
    images = make_flimp_images(1, shape=(32, 40), n_frames=n_frames, random_state=0)
    path = tmp_path / "field.tif"
    assert save_flimp_tiff(path, images.data[0], pixel_size=images.pixel_size) == str(path)
    loaded = load_flimp_tiff(path)
    np.testing.assert_array_equal(loaded.data, images.data[0])
    assert loaded.data.dtype == np.float32
    assert loaded.pixel_size == pytest.approx(0.16, rel=1e-6)
    assert loaded.filename == str(path)
    # ImageJ reads it as a stack of float32 frames with its unit and calibration.
    with tifffile.TiffFile(path) as tif:
        assert tif.is_imagej
        assert tif.imagej_metadata["unit"] == "um"
        assert tif.series[0].axes == ("TYX" if n_frames > 1 else "YX")


def test_an_existing_file_is_kept_unless_overwrite(tmp_path):
    path = tmp_path / "field.tif"
    save_flimp_tiff(path, np.zeros((8, 8)), pixel_size=0.16)
    with pytest.raises(ValueError, match=rf"'{path}' exists; pass overwrite=True"):
        save_flimp_tiff(path, np.ones((8, 8)), pixel_size=0.16)
    assert load_flimp_tiff(path).data.max() == 0
    save_flimp_tiff(path, np.ones((8, 8)), pixel_size=0.1, overwrite=True)
    loaded = load_flimp_tiff(path)
    assert loaded.data.max() == 1 and loaded.pixel_size == pytest.approx(0.1)


@pytest.mark.parametrize("images, pixel_size, match", [
    (np.zeros(8), 0.16, r"an image \(H, W\) or a stack"),
    (np.zeros((8, 8)), 0.0, "pixel_size must be a positive number"),
    (np.zeros((8, 8)), True, "pixel_size must be a positive number"),
])
def test_bad_images_or_pixel_size_are_refused_naming_the_file(tmp_path, images, pixel_size,
                                                                match):
    path = tmp_path / "bad.tif"
    with pytest.raises(ValueError, match=match) as error:
        save_flimp_tiff(path, images, pixel_size=pixel_size)
    assert "bad.tif" in str(error.value)
    assert not path.exists()


@pytest.mark.parametrize("unit, resolution, pixel_size", [
    ("CENTIMETER", 1e4 / 0.107, 0.107),  # pixels per cm
    ("INCH", 25400 / 0.2, 0.2),  # pixels per inch
])
def test_plain_resolution_tags_give_the_pixel_size(tmp_path, unit, resolution, pixel_size):
    path = tmp_path / "plain.tif"
    frames = np.arange(3 * 16 * 16, dtype=np.uint16).reshape(3, 16, 16)
    tifffile.imwrite(path, frames, photometric="minisblack", resolution=(resolution, resolution),
                     resolutionunit=unit)
    loaded = load_flimp_tiff(path, pixel_size=99.0)  # the file's value wins
    np.testing.assert_array_equal(loaded.data, frames)
    assert loaded.data.dtype == np.float32
    assert loaded.pixel_size == pytest.approx(pixel_size, rel=1e-6)


def test_without_a_pixel_size_the_argument_is_needed(tmp_path):
    path = tmp_path / "bare.tif"
    # tifffile writes resolution 1 with unit NONE by default.
    tifffile.imwrite(path, np.zeros((2, 8, 8), dtype=np.uint16), photometric="minisblack")
    with pytest.raises(ValueError, match=r"'.*bare.tif' gives no pixel size .* pass pixel_size="):
        load_flimp_tiff(path)
    assert load_flimp_tiff(path, pixel_size=0.16).pixel_size == 0.16
    with pytest.raises(ValueError, match="pixel_size must be a positive number.*bare.tif"):
        load_flimp_tiff(path, pixel_size=-1.0)


def test_multipage_files_are_stacks(tmp_path):
    path = tmp_path / "pages.tif"
    with tifffile.TiffWriter(path) as tif:  # separate pages without tifffile's shape
        for k in range(4):
            tif.write(np.full((8, 10), k, dtype=np.uint16), contiguous=False, metadata=None)
    loaded = load_flimp_tiff(path, pixel_size=0.16)
    assert loaded.data.shape == (4, 8, 10)
    np.testing.assert_array_equal(loaded.data[:, 0, 0], [0, 1, 2, 3])


def test_imagej_hyperstacks_drop_singletons_and_need_a_channel(tmp_path):
    path = tmp_path / "hyper.tif"
    stack = np.arange(5 * 1 * 2 * 8 * 8, dtype=np.uint16).reshape(5, 1, 2, 8, 8)  # TZCYX
    tifffile.imwrite(path, stack, imagej=True, resolution=(1 / 0.16, 1 / 0.16),
                     metadata={"axes": "TZCYX", "unit": "\\u00B5m"})
    with pytest.raises(ValueError, match=r"'.*hyper.tif' has 2 channels .* pass channel="):
        load_flimp_tiff(path)
    loaded = load_flimp_tiff(path, channel=1)
    np.testing.assert_array_equal(loaded.data, stack[:, 0, 1])
    assert loaded.pixel_size == pytest.approx(0.16)
    with pytest.raises(ValueError, match=r"channel=2 is not one of the 2 channels of '.*hyper"):
        load_flimp_tiff(path, channel=2)
    single = tmp_path / "single.tif"
    tifffile.imwrite(single, stack[:1, :, :1], imagej=True, metadata={"axes": "TZCYX"})
    assert load_flimp_tiff(single, pixel_size=0.16).data.shape == (8, 8)


def test_rgb_files_are_refused(tmp_path):
    path = tmp_path / "rgb.tif"
    tifffile.imwrite(path, np.zeros((8, 8, 3), dtype=np.uint8), photometric="rgb")
    with pytest.raises(ValueError, match=r"'.*rgb.tif' has axes 'YXS'"):
        load_flimp_tiff(path, pixel_size=0.16)


def test_frames_in_two_axes_or_not_a_tiff_are_refused_naming_the_file(tmp_path):
    path = tmp_path / "tz.tif"
    tifffile.imwrite(path, np.zeros((2, 3, 8, 8), dtype=np.uint16), imagej=True,
                     metadata={"axes": "TZYX"})
    with pytest.raises(ValueError, match=r"'.*tz.tif' has axes 'TZYX'"):
        load_flimp_tiff(path, pixel_size=0.16)
    text = tmp_path / "notes.tif"
    text.write_text("not an image")
    with pytest.raises(ValueError, match=r"'.*notes.tif' is not a TIFF file"):
        load_flimp_tiff(text, pixel_size=0.16)
    with pytest.raises(FileNotFoundError, match="missing.tif"):
        load_flimp_tiff(tmp_path / "missing.tif")
