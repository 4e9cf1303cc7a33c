import numpy as np

from sciml_estimators.preprocessing._pixels import scene_rows


def test_scene_rows_are_pixels_in_scene_order_and_flag_non_finite_ones():
    scenes = np.arange(2 * 3 * 2 * 2, dtype=np.float32).reshape(2, 3, 2, 2)
    scenes[1, 2, 0, 1] = np.nan
    scenes[0, 0, 1, 1] = -np.inf
    # Finite channels whose sum overflows float32 are still valid.
    scenes[1, :2, 1, 0] = 3e38
    rows, valid = scene_rows(scenes)
    np.testing.assert_array_equal(rows[5], scenes[1, :, 0, 1])
    np.testing.assert_array_equal(valid, [True, True, True, False, True, False, True, True])
