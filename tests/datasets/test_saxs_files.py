import re
import sys
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciml_estimators.datasets import load_saxs_profile
from sciml_estimators.datasets._saxs_profiles import is_number as _is_number
from sciml_estimators.datasets._saxs_units import parse_q_unit as _parse_q_unit
from sciml_estimators.exceptions import SciMLEstimatorsWarning
from sciml_estimators.simulators import sphere_iq

Q_NM = np.array([0.1, 0.2, 0.5, 1.0])
I = np.array([100.0, 50.0, 10.0, 1.0])
DI = np.array([1.0, 0.7, 0.3, 0.1])


def write_ascii(path, header, rows, sep=" "):
    lines = list(header) + [sep.join(repr(float(v)) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xml(path, q, intensity, dev, q_unit="1/nm", ns="urn:cansas1d:1.1", notes=False):
    points = "\n".join(
        f'<Idata><Q unit="{q_unit}">{a}</Q><I unit="1/cm">{b}</I>'
        + ("" if dev is None else f'<Idev unit="1/cm">{c}</Idev>')
        + "</Idata>"
        for a, b, c in zip(q, intensity, dev if dev is not None else q)
    )
    note = "<SASnote>a note</SASnote>" if notes else ""
    path.write_text(
        f'<?xml version="1.0"?>\n<SASroot version="1.1" xmlns="{ns}">\n'
        '<SASentry name="s1"><Title>Silica spheres</Title><Run>1234</Run>\n'
        f"<SASdata>{points}</SASdata>\n"
        "<SASsample><ID>SiO2-50</ID></SASsample>\n"
        "<SASinstrument><name>Beamline X</name></SASinstrument>"
        f"{note}</SASentry></SASroot>\n",
        encoding="utf-8",
    )
    return path


def write_nxcansas(path, q, intensity, dev, q_units="1/angstrom"):
    h5py = pytest.importorskip("h5py")
    with h5py.File(path, "w") as f:
        f.attrs["default"] = "sasentry01"
        entry = f.create_group("sasentry01")
        entry.attrs.update({"NX_class": "NXentry", "canSAS_class": "SASentry", "version": "1.1"})
        entry.attrs["default"] = "sasdata01"
        entry["definition"] = "NXcanSAS"
        entry["title"] = "Silica spheres"
        entry["run"] = "4321"
        data = entry.create_group("sasdata01")
        data.attrs.update({"NX_class": "NXdata", "canSAS_class": "SASdata", "signal": "I"})
        data.attrs["I_axes"] = "Q"
        data.attrs["Q_indices"] = np.int64(0)
        data["Q"] = q
        if q_units is not None:
            data["Q"].attrs["units"] = q_units
        data["I"] = intensity
        data["I"].attrs["units"] = "1/cm"
        if dev is not None:
            data["I"].attrs["uncertainties"] = "Idev"
            data["Idev"] = dev
            data["Idev"].attrs["units"] = "1/cm"
        sample = entry.create_group("sassample")
        sample.attrs.update({"NX_class": "NXsample", "canSAS_class": "SASsample"})
        sample["name"] = "SiO2-50"
    return path


@pytest.mark.parametrize(
    "text, unit",
    [
        ("q (1/A)", "1/A"),
        ("Q [A^-1]", "1/A"),
        ("Q(A-1)", "1/A"),
        ("q / \u00c5\u207b\u00b9", "1/A"),
        ("q (\u212b^-1)", "1/A"),
        ("1/angstrom", "1/A"),
        ("q [1/Ang]", "1/A"),
        ("inverse angstroms", "1/A"),
        ("q (1/nm)", "1/nm"),
        ("q [nm^-1]", "1/nm"),
        ("Q(nm-1)", "1/nm"),
        ("q nm\u207b\u00b9", "1/nm"),
        ("q I dI", None),
        ("I (1/cm)", None),
        ("intensity (a.u.)", None),
        ("wavelength 1.54 A", None),
        ("data-1", None),
        ("q (1/A), converted from 1/nm", "ambiguous"),
    ],
)
def test_unit_parser(text, unit):
    assert _parse_q_unit(text) == unit


@pytest.mark.parametrize(
    "name, header, sep, factor, unit",
    [
        ("a.dat", ["# q (1/A)  I (1/cm)  dI"], " ", 1.0, "1/A"),
        ("b.txt", ["# sample: silica", "q [nm^-1]\tI\tdI"], "\t", 0.1, "1/nm"),
        ("c.csv", ["q (nm-1),I,dI"], ",", 0.1, "1/nm"),
        ("d.csv", ["# Q(\u00c5\u207b\u00b9), I, dI"], ", ", 1.0, "1/A"),
    ],
)
def test_ascii_units_and_separators(tmp_path, name, header, sep, factor, unit):
    path = write_ascii(tmp_path / name, header, np.column_stack([Q_NM, I, DI]), sep)
    profile = load_saxs_profile(path)
    np.testing.assert_allclose(profile.q, Q_NM * factor)
    np.testing.assert_array_equal(profile.intensity, I)
    np.testing.assert_array_equal(profile.uncertainty, DI)
    assert profile.q_unit_in_file == unit and profile.format == "ascii"
    assert profile.metadata["q_unit_source"] == "file" and profile.path == str(path)


def test_ascii_two_columns_and_q_unit_argument(tmp_path):
    path = write_ascii(tmp_path / "two.dat", ["q I"], np.column_stack([Q_NM, I]))
    with pytest.raises(ValueError, match=r"two\.dat.*could not be detected.*q_unit='1/A'"):
        load_saxs_profile(path)
    profile = load_saxs_profile(path, q_unit="1/nm")
    assert profile.uncertainty is None and profile.metadata["intensity_unit"] is None
    np.testing.assert_allclose(profile.q, Q_NM / 10)
    assert profile.metadata["q_unit_source"] == "argument"
    # The argument must agree with a unit the file states.
    stated = write_ascii(tmp_path / "s.dat", ["# q (1/A)"], np.column_stack([Q_NM, I]))
    with pytest.raises(ValueError, match=r"s\.dat: q column header on line 1 states q in 1/A"):
        load_saxs_profile(stated, q_unit="1/nm")
    ambiguous = write_ascii(tmp_path / "m.dat", ["# q (1/A)", "# q (nm^-1)"], [[1, 2]])
    with pytest.raises(ValueError, match=r"m\.dat: q column header on line 1, 2 names both"):
        load_saxs_profile(ambiguous)
    # Unit text that is not the q column's says nothing about q.
    other = write_ascii(tmp_path / "o.dat", ["# q (1/A)", "# was nm^-1"], [[1, 2]])
    assert load_saxs_profile(other).q_unit_in_file == "1/A"


@pytest.mark.parametrize("dev", [DI, None])
def test_cansas_xml(tmp_path, dev):
    path = write_xml(tmp_path / "p.xml", Q_NM, I, dev)
    profile = load_saxs_profile(path)
    np.testing.assert_allclose(profile.q, Q_NM / 10)
    np.testing.assert_array_equal(profile.intensity, I)
    if dev is None:
        assert profile.uncertainty is None
    else:
        np.testing.assert_array_equal(profile.uncertainty, DI)
    meta = profile.metadata
    assert meta["title"] == "Silica spheres" and meta["run"] == ["1234"]
    assert meta["sample_id"] == "SiO2-50" and meta["notes"] == []
    assert meta["instrument"] == "Beamline X" and meta["intensity_unit"] == "1/cm"
    assert meta["namespace"] == "urn:cansas1d:1.1" and profile.format == "cansas_xml"


def test_cansas_xml_v10_angstrom_and_no_idata(tmp_path):
    path = write_xml(tmp_path / "v10.xml", Q_NM, I, DI, q_unit="A^-1", ns="urn:cansas1d:1.0")
    profile = load_saxs_profile(path)
    np.testing.assert_allclose(profile.q, Q_NM)
    assert profile.q_unit_in_file == "1/A"
    # No SASnote/SASprocess and no points: an error, never an empty profile.
    empty = write_xml(tmp_path / "empty.xml", [], [], None)
    with pytest.raises(ValueError, match=r"empty\.xml: SASentry\[1\]/SASdata\[1\] has no Idata"):
        load_saxs_profile(empty)


@pytest.mark.parametrize("dev", [DI, None])
@pytest.mark.parametrize("units, factor", [("1/angstrom", 1.0), ("1/nm", 0.1)])
def test_nxcansas(tmp_path, dev, units, factor):
    path = write_nxcansas(tmp_path / "p.h5", Q_NM, I, dev, q_units=units)
    profile = load_saxs_profile(path)
    np.testing.assert_allclose(profile.q, Q_NM * factor)
    np.testing.assert_array_equal(profile.intensity, I)
    if dev is None:
        assert profile.uncertainty is None
    else:
        np.testing.assert_array_equal(profile.uncertainty, DI)
    meta = profile.metadata
    assert meta["title"] == "Silica spheres" and meta["run"] == "4321"
    assert meta["sample_id"] == "SiO2-50"
    assert meta["intensity_unit"] == "1/cm" and meta["data"] == "/sasentry01/sasdata01"


def test_nxcansas_errors(tmp_path):
    no_units = write_nxcansas(tmp_path / "nounit.h5", Q_NM, I, DI, q_units=None)
    with pytest.raises(ValueError, match=r"nounit\.h5.*could not be detected.*sasdata01/Q"):
        load_saxs_profile(no_units)
    assert load_saxs_profile(no_units, q_unit="1/nm").q[0] == pytest.approx(0.01)
    odd = write_nxcansas(tmp_path / "odd.h5", Q_NM, I, DI, q_units="m")
    with pytest.raises(ValueError, match=r"odd\.h5: /sasentry01/sasdata01/Q unit='m' is not a"):
        load_saxs_profile(odd)
    nan = write_nxcansas(tmp_path / "nan.h5", Q_NM, [1.0, np.nan, 1.0, 1.0], None)
    with pytest.raises(ValueError, match=r"nan\.h5: /sasentry01/sasdata01 index 1: intensity"):
        load_saxs_profile(nan)


@pytest.mark.parametrize(
    "fmt, name", [("ascii", "s.dat"), ("cansas_xml", "s.xml"), ("nxcansas", "s.h5")]
)
def test_round_trip_sphere(tmp_path, fmt, name):
    q = np.geomspace(1e-3, 0.5, 50)  # 1/A, written in 1/nm
    intensity = sphere_iq(q, radius=60.0)
    dev = 0.05 * intensity
    path = tmp_path / name
    if fmt == "ascii":
        write_ascii(path, ["# q (nm^-1), I (cm^-1), dI"], np.column_stack([q * 10, intensity, dev]))
    elif fmt == "cansas_xml":
        write_xml(path, *[[repr(float(v)) for v in a] for a in (q * 10, intensity, dev)])
    else:
        write_nxcansas(path, q * 10, intensity, dev, q_units="1/nm")
    profile = load_saxs_profile(path)
    np.testing.assert_allclose(profile.q, q, rtol=1e-14)
    np.testing.assert_array_equal(profile.intensity, intensity)
    np.testing.assert_array_equal(profile.uncertainty, dev)
    assert profile.metadata["intensity_unit"] == "1/cm"


@pytest.mark.parametrize(
    "lines, message",
    [
        (["# q (1/A)", "0.1 1 0.1", "0.2 1"], r"line 3: expected 3 columns as on line 2; got 2"),
        (["# q (1/A)", "0.1"], r"line 2: expected 2 to 4 columns"),
        (["q (1/A) I", "0.1 1", "0.2 x"], r"line 3: non-numeric data"),
        (["# q (1/A)", "0.1 1", "0.2 nan"], r"line 3: intensity must be finite"),
        (["# q (1/A)", "0.1 1", "0.2 inf"], r"line 3: intensity must be finite"),
        (["# q (1/A)", "-0.1 1", "0.2 1"], r"line 2: q must be finite and positive"),
        (["# q (1/A)", "0.1 1", "0.3 1", "0.2 1"], r"line 4: q must be in increasing order"),
        (["# q (1/A)", "0.1 1 -1"], r"line 2: uncertainty must be finite and non-negative"),
        (["# q (1/A)", "# no data"], r"no numeric data lines"),
    ],
)
def test_ascii_bad_input(tmp_path, lines, message):
    path = tmp_path / "bad.dat"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(str(path)) + ": " + message):
        load_saxs_profile(path)


def test_cansas_xml_bad_input(tmp_path):
    path = write_xml(tmp_path / "neg.xml", [0.1, -0.2], [1.0, 1.0], None)
    with pytest.raises(ValueError, match=r"neg\.xml: SASentry\[1\]/SASdata\[1\]/Idata\[2\]: q"):
        load_saxs_profile(path)
    path = write_xml(tmp_path / "nan.xml", [0.1, 0.2], [1.0, "NaN"], None)
    with pytest.raises(ValueError, match=r"nan\.xml: .*Idata\[2\]: intensity must be finite"):
        load_saxs_profile(path)
    path = write_xml(tmp_path / "txt.xml", [0.1, 0.2], [1.0, "abc"], None)
    with pytest.raises(ValueError, match=r"txt\.xml: .*Idata\[2\]/I: not a number"):
        load_saxs_profile(path)
    path = write_xml(tmp_path / "unit.xml", [0.1, 0.2], [1.0, 1.0], None, q_unit="degrees")
    with pytest.raises(ValueError, match=r"unit\.xml: Idata/Q unit='degrees' is not a recognised"):
        load_saxs_profile(path)
    path = tmp_path / "broken.xml"
    path.write_text("<SASroot><SASentry>", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.xml: not well-formed XML"):
        load_saxs_profile(path)


def test_format_detection(tmp_path):
    path = write_ascii(tmp_path / "profile.out", ["# q (1/A)"], np.column_stack([Q_NM, I]))
    message = r"profile\.out: unknown extension '\.out'.*\.xml \(cansas_xml\)"
    with pytest.raises(ValueError, match=message):
        load_saxs_profile(path)
    assert load_saxs_profile(path, format="ascii").format == "ascii"
    with pytest.raises(ValueError, match="format"):
        load_saxs_profile(path, format="csv")
    not_hdf5 = write_ascii(tmp_path / "fake.h5", ["# q (1/A)"], [[0.1, 1.0]])
    with pytest.raises(ValueError, match=r"fake\.h5: not a readable HDF5 file"):
        load_saxs_profile(not_hdf5)
    text = write_ascii(tmp_path / "text.xml", ["# q (1/A)"], [[0.1, 1.0]])
    assert load_saxs_profile(text, format="ascii").q.tolist() == [0.1]


def test_nxcansas_without_h5py(tmp_path, monkeypatch):
    path = write_nxcansas(tmp_path / "p.h5", Q_NM, I, DI)
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match="pip install h5py"):
        load_saxs_profile(path)


@pytest.mark.parametrize(
    "first, field",
    [("0.05 1.2.3", "field 2, '1.2.3'"), ("0.05abc 3.0 0.1", "field 1, '0.05abc'"),
     ("0.05,,0.1", "field 2, ''"), ("0.05 3.0 0.1x", "field 3, '0.1x'")],
)
def test_ascii_malformed_first_row_is_an_error_not_a_header(tmp_path, first, field):
    # It was taken as a text header and the point was lost without a word.
    path = tmp_path / "first.dat"
    path.write_text(f"# q (1/A)\n{first}\n0.1 2.0 0.1\n0.2 1.0 0.1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"{path}: line 2: non-numeric data: ")
                       + f".*{re.escape(field)}, is not a number; a header line has mostly text"):
        load_saxs_profile(path)


@pytest.mark.parametrize("header", ["q (1/A) I dI", "Run 42", "Sample 12 run 3",
                                    "10 frames averaged", "q,I,dI"])
def test_ascii_text_headers_with_some_numbers_are_still_skipped(tmp_path, header):
    path = write_ascii(tmp_path / "h.dat", ["# q (1/A)", header], np.column_stack([Q_NM, I, DI]))
    profile = load_saxs_profile(path)
    np.testing.assert_array_equal(profile.q, Q_NM)
    assert profile.metadata["header"] == ["# q (1/A)", header]


FIELD = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.text(alphabet="0123456789.eE+-xq/ ()", min_size=0, max_size=6),
)


@settings(derandomize=True, max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.lists(FIELD, min_size=1, max_size=4))
def test_ascii_first_line_is_a_header_a_point_or_an_error_naming_it(tmp_path, fields):
    # Whatever precedes the data is skipped as a header (its fields mostly
    # text), read as a point, or refused naming line 2: never a point lost
    # (a point at q = 0, the beam centre, is dropped with a warning naming it).
    line = ",".join(fields)
    path = tmp_path / "any.dat"
    path.write_text(f"# q (1/A)\n{line}\n10.0 2.0\n20.0 1.0\n", encoding="utf-8")
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", ".*dropped 1 row", SciMLEstimatorsWarning)
            profile = load_saxs_profile(path)
    except ValueError as error:
        assert re.search(r": line [234]: ", str(error)), str(error)
        return
    tokens = line.split(",") if "," in line else line.split()
    numbers = [_is_number(token) for token in tokens]
    if not line.strip():  # a blank line
        assert profile.q.size == 2 and profile.metadata["header"] == ["# q (1/A)"]
    elif all(numbers) and float(tokens[0]) == 0:
        assert profile.q.size == 2 and profile.metadata["dropped_q_zero"] == ["line 2"]
    elif all(numbers):
        assert profile.q.size == 3 and profile.q[0] == float(tokens[0])
    else:
        assert profile.q.size == 2 and line.strip() in profile.metadata["header"]
        assert 2 * sum(numbers) < len(numbers) or not numbers[0]
