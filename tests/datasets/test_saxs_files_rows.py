"""Rows that are not one measurement of I(q) each: q = 0 (the beam centre) and a repeated q."""

import re

import numpy as np
import pytest

from sciml_estimators.datasets import load_saxs_profile
from sciml_estimators.datasets._saxs_profiles import parse_number
from sciml_estimators.exceptions import SciMLEstimatorsWarning


def write_xml(path, points):
    """A canSAS 1.1 file with one Idata per dict of ``points`` (element -> value)."""
    idata = "".join(
        "<Idata>" + "".join(f'<{k} unit="1/A">{v}</{k}>' if k in ("Q", "Qdev") else f"<{k}>{v}</{k}>"
                            for k, v in point.items()) + "</Idata>"
        for point in points)
    path.write_text(f'<SASroot xmlns="urn:cansas1d:1.1"><SASentry><SASdata>{idata}</SASdata>'
                    "</SASentry></SASroot>", encoding="utf-8")
    return path


@pytest.mark.parametrize("token, expected", [
    ("-1.#IND", np.nan), ("1.#QNAN", np.nan), ("-1.#IND00", np.nan), ("1.#SNAN", np.nan),
    ("1.#INF", np.inf), ("-1.#INF", -np.inf), ("+1.#INF00", np.inf), ("2.5e-3", 2.5e-3),
])
def test_parse_number_reads_msvc_non_finite_text(token, expected):
    np.testing.assert_equal(parse_number(token), expected)


@pytest.mark.parametrize("token", ["1.#INDX", "2.#INF", "#IND", "1.#", "x"])
def test_parse_number_refuses_other_text(token):
    with pytest.raises(ValueError):
        parse_number(token)


def test_ascii_q_zero_row_is_dropped_even_with_an_undefined_intensity(tmp_path):
    # sasdata's cyl_400_20.txt starts "<X> <Y>" then "0  -1.#IND".
    path = tmp_path / "cyl.txt"
    path.write_text("# q (1/A) I\n0  -1.#IND\n0.025  125.852\n0.05  53.6662\n", encoding="utf-8")
    with pytest.warns(SciMLEstimatorsWarning, match=re.escape(f"{path}: dropped 1 row(s) at "
                                                              "q = 0 (line 2): the beam centre")):
        profile = load_saxs_profile(path)
    np.testing.assert_array_equal(profile.q, [0.025, 0.05])
    np.testing.assert_array_equal(profile.intensity, [125.852, 53.6662])
    assert profile.metadata["dropped_q_zero"] == ["line 2"]
    assert profile.metadata["merged_repeated_q"] == []


def test_msvc_nan_on_a_measured_row_is_refused(tmp_path):
    path = tmp_path / "nan.txt"
    path.write_text("# q (1/A) I\n0.025 -1.#IND\n0.05 53.6\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2: intensity must be finite; got nan"):
        load_saxs_profile(path)


def test_nist_q_zero_row_drops_its_per_point_metadata_too(tmp_path):
    path = tmp_path / "run.ABS"
    rows = ["0 1 1 0.001 0.0 1", "0.01 5 0.5 0.001 0.0101 1", "0.02 3 0.3 0.0012 0.0202 0.9"]
    path.write_text("The 6 columns are | Q (1/A) | I(Q) (1/cm) | std. dev. I(Q) (1/cm) | sigmaQ "
                    "| meanQ | ShadowFactor|\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.warns(SciMLEstimatorsWarning, match=r"dropped 1 row\(s\) at q = 0 \(line 2\)"):
        profile = load_saxs_profile(path)
    np.testing.assert_array_equal(profile.q, [0.01, 0.02])
    np.testing.assert_array_equal(profile.dq, [0.001, 0.0012])
    np.testing.assert_array_equal(profile.metadata["mean_q"], [0.0101, 0.0202])
    np.testing.assert_array_equal(profile.metadata["shadow_factor"], [1, 0.9])


def test_negative_q_and_only_q_zero_stay_errors(tmp_path):
    path = tmp_path / "neg.txt"
    path.write_text("# q (1/A) I\n-0.01 1\n0 2\n0.01 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2: q must be finite and positive; got -0.01"), \
            pytest.warns(SciMLEstimatorsWarning, match=r"\(line 3\)"):
        load_saxs_profile(path)
    path = write_xml(tmp_path / "zero.xml", [{"Q": 0, "I": "NaN"}])
    with pytest.raises(ValueError, match=r"zero\.xml: no data points found"), \
            pytest.warns(SciMLEstimatorsWarning, match=r"SASentry\[1\]/SASdata\[1\]/Idata\[1\]"):
        load_saxs_profile(path)


def test_repeated_q_is_merged_by_inverse_variance_with_the_rms_resolution(tmp_path):
    # As sasdata's latex_smeared.xml entry 0: one Q twice, each with its configuration's Qdev.
    points = [{"Q": 0.01, "I": 2.0, "Idev": 0.1, "Qdev": 0.001},
              {"Q": 0.02, "I": 1.0, "Idev": 0.1, "Qdev": 0.002},
              {"Q": 0.02, "I": 1.6, "Idev": 0.2, "Qdev": 0.003},
              {"Q": 0.03, "I": 0.5, "Idev": 0.05, "Qdev": 0.002}]
    path = write_xml(tmp_path / "stitched.xml", points)
    with pytest.warns(SciMLEstimatorsWarning, match=re.escape(
            "merged 1 q value(s) given on several rows (SASentry[1]/SASdata[1]/Idata[2] + "
            "SASentry[1]/SASdata[1]/Idata[3])")):
        profile = load_saxs_profile(path)
    w = np.array([1 / 0.1**2, 1 / 0.2**2])  # weights 100 and 25
    np.testing.assert_array_equal(profile.q, [0.01, 0.02, 0.03])
    np.testing.assert_allclose(profile.intensity, [2.0, (100 * 1.0 + 25 * 1.6) / 125, 0.5])
    np.testing.assert_allclose(profile.uncertainty, [0.1, 1 / np.sqrt(125), 0.05])
    np.testing.assert_allclose(profile.dq, [0.001, np.sqrt(w @ [0.002**2, 0.003**2] / 125),
                                            0.002])
    assert profile.metadata["merged_repeated_q"] == [
        ["SASentry[1]/SASdata[1]/Idata[2]", "SASentry[1]/SASdata[1]/Idata[3]"]]


def test_repeated_q_without_uncertainties_is_the_plain_mean(tmp_path):
    path = tmp_path / "twice.dat"
    path.write_text("# q (1/A) I\n0.01 4\n0.01 2\n0.01 3\n0.02 1\n", encoding="utf-8")
    with pytest.warns(SciMLEstimatorsWarning, match=r"\(line 2 \+ line 3 \+ line 4\)"):
        profile = load_saxs_profile(path)
    np.testing.assert_array_equal(profile.q, [0.01, 0.02])
    np.testing.assert_array_equal(profile.intensity, [3.0, 1.0])
    assert profile.uncertainty is None


def test_decreasing_q_is_still_an_error(tmp_path):
    path = tmp_path / "down.dat"
    path.write_text("# q (1/A) I\n0.01 4\n0.02 2\n0.015 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 4: q must be in increasing order; got 0.015 "
                                         r"after 0.02"):
        load_saxs_profile(path)
