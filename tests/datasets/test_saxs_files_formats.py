"""The layouts added for issue 17: 4-column ASCII, RKH, NIST .ABS, PDH, old-style NXcanSAS,
resolution arrays, entry selection and listing, and q units read only from the q column."""

import re

import numpy as np
import pytest

from sciml_estimators.datasets import list_saxs_profiles, load_saxs_profile
from sciml_estimators.exceptions import SciMLEstimatorsWarning

Q = np.array([0.01, 0.02, 0.05, 0.1])
I = np.array([100.0, 50.0, 10.0, 1.0])
DI = np.array([1.0, 0.7, 0.3, 0.1])
DQ = np.array([0.001, 0.0012, 0.0015, 0.002])


def rows(*columns, fmt="{:.6e}"):
    return "\n".join("  ".join(fmt.format(v) for v in row) for row in zip(*columns))


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("header, factor", [("<X>\t<Y>\t<dY>\t<dsigQ>", None),
                                            ("# Q [A^-1]  I [1/cm]  Err_I  dQ", 1.0),
                                            ("q(nm-1),I,dI,dq", 0.1)])
def test_ascii_four_columns_keep_the_pinhole_resolution(tmp_path, header, factor):
    sep = "," if "," in header else "\t"
    body = "\n".join(sep.join(repr(float(v)) for v in row) for row in zip(Q, I, DI, DQ))
    path = write(tmp_path / "four.txt", f"SasView export\n{header}\n{body}\n")
    profile = load_saxs_profile(path, q_unit=None if factor else "1/A")
    factor = factor or 1.0
    np.testing.assert_allclose(profile.q, Q * factor, rtol=1e-15)
    np.testing.assert_allclose(profile.dq, DQ * factor, rtol=1e-15)
    np.testing.assert_array_equal(profile.uncertainty, DI)
    assert profile.slit_length is None and profile.slit_width is None


@pytest.mark.parametrize("header", ["# sample position A-1", "# I (1/a.u.)",
                                    "# detector distance 2 m, beam stop 4 A^-1 wide",
                                    "Intensity (1/A)"])
def test_ascii_unit_only_from_the_q_column_header(tmp_path, header):
    # These lines used to be read as the q unit.
    path = write(tmp_path / "u.dat", f"{header}\n{rows(Q, I)}\n")
    with pytest.raises(ValueError, match=r"u\.dat: the q unit could not be detected"):
        load_saxs_profile(path)


def test_ascii_i_unit_from_its_own_column(tmp_path):
    path = write(tmp_path / "i.dat", f"# thickness 0.1 cm^-1\n# q (1/A) I (a.u.)\n{rows(Q, I)}\n")
    assert load_saxs_profile(path).metadata["intensity_unit"] is None
    path = write(tmp_path / "j.dat", f"# q (1/A) I (cm^-1) dI\n{rows(Q, I, DI)}\n")
    assert load_saxs_profile(path).metadata["intensity_unit"] == "1/cm"


def test_ascii_two_d_and_too_many_columns_are_refused_with_the_reason(tmp_path):
    two_d = write(tmp_path / "det.dat", "Data columns are Qx - Qy - I(Qx,Qy) - Qz - SigQx\n"
                  + rows(Q, Q, I, Q, DQ) + "\n")
    with pytest.raises(ValueError, match=r"det\.dat: line 2: expected 2 to 4 columns.*got 5; "
                       r"the header names qx/qy: this is 2-D data"):
        load_saxs_profile(two_d)
    sld = write(tmp_path / "sld.txt", "X Y Z SLDN SLDMx SLDMy SLDMz\n" + rows(*[Q] * 7) + "\n")
    with pytest.raises(ValueError, match=r"sld\.txt: line 2: expected 2 to 4 columns.*got 7"):
        load_saxs_profile(sld)


def rkh_text(n_cols=4):
    columns = [Q, I, DI, DQ][:n_cols]
    data = "\n".join(f"{q:12.5f}" + "".join(f"{v:16.6e}" for v in rest)
                     for q, *rest in zip(*columns))
    return (" LOQ Tue 20-FEB-2001 13:46 Workspace: x\n Ferritin_SANS\n"
            f"{len(Q):5d}    0    0    0    1{len(Q):5d}    0\n"
            "         0         0         0         0\n 3 (F12.5,2E16.6)\n" + data + "\n")


@pytest.mark.parametrize("n_cols", [3, 4])
def test_rkh(tmp_path, n_cols):
    path = write(tmp_path / "ISIS_1.TXT", rkh_text(n_cols))
    profile = load_saxs_profile(path)
    assert profile.format == "rkh" and profile.metadata["title"] == "Ferritin_SANS"
    assert profile.q_unit_in_file == "1/A" and profile.metadata["q_unit_source"] == "format"
    np.testing.assert_allclose(profile.q, Q)
    np.testing.assert_allclose(profile.intensity, I, rtol=1e-6)
    np.testing.assert_allclose(profile.uncertainty, DI, rtol=1e-6)
    if n_cols == 4:
        np.testing.assert_allclose(profile.dq, DQ, rtol=1e-6)
    else:
        assert profile.dq is None
    # q_unit replaces the unit the format only assumes.
    assert load_saxs_profile(path, q_unit="1/nm").q[0] == pytest.approx(Q[0] / 10)
    truncated = write(tmp_path / "short.txt", "\n".join(rkh_text().splitlines()[:-1]) + "\n")
    with pytest.raises(ValueError, match=r"short\.txt: line 3 announces 4 points; found 3"):
        load_saxs_profile(truncated)


ABS_HEADER = (
    "FILE: jan08002.SA2_BH _R556\t\t CREATED: Mon, Jan 21, 2008\n"
    "LABEL: scatt 1m sam1\nMON CNT   LAMBDA   DET ANG   DET DIST   TRANS   THICK   AVE   STEP\n"
    "1e+08  6       25     1     0.5667     0.2C   1\n"
    "The 6 columns are | Q (1/A) | I(Q) (1/cm) | std. dev. I(Q) (1/cm) | sigmaQ | meanQ | "
    "ShadowFactor|\n"
)


def test_nist_abs_sans(tmp_path):
    mean_q, shadow = Q * 1.01, np.array([0.9, 1.0, 1.0, 1.0])
    path = write(tmp_path / "s.ABS", ABS_HEADER + rows(Q, I, DI, DQ, mean_q, shadow) + "\n")
    profile = load_saxs_profile(path)
    assert profile.format == "nist_abs" and profile.metadata["q_unit_source"] == "format"
    np.testing.assert_allclose(profile.q, Q)  # column 1, the nominal Q
    np.testing.assert_allclose(profile.dq, DQ)
    np.testing.assert_allclose(profile.metadata["mean_q"], mean_q)
    np.testing.assert_allclose(profile.metadata["shadow_factor"], shadow)
    assert profile.slit_length is None and profile.metadata["intensity_unit"] == "1/cm"
    meta = profile.metadata
    assert (meta["wavelength_A"], meta["detector_distance_m"], meta["thickness_cm"]) == (6, 1, 0.2)
    # The same file under .txt is recognised from its header.
    assert load_saxs_profile(write(tmp_path / "s.txt", path.read_text())).format == "nist_abs"


def test_nist_abs_usans_slit_length(tmp_path):
    header = "COR FILES: SAM14001.bt5\nLABEL: SAM14\nEMP LEVEL: 0.76 ; BKG LEVEL: 0.62\n"
    slit = np.full(Q.size, -0.117)
    path = write(tmp_path / "u.cor", header + rows(Q, I, DI, slit, slit, slit) + "\n")
    profile = load_saxs_profile(path)
    np.testing.assert_allclose(profile.slit_length, 0.117)
    np.testing.assert_array_equal(profile.slit_width, 0.0)
    assert profile.dq is None
    mixed = write(tmp_path / "m.abs", header + rows(Q, I, DI, [0.1, -0.1, 0.1, 0.1], Q, Q) + "\n")
    with pytest.raises(ValueError, match=r"m\.abs: line 5: sigmaQ is negative.*not on every row"):
        load_saxs_profile(mixed)


def pdh_text(trailer=True, unit="n_m^-1"):
    text = ("Reline 120\nSAXS BOX\n" + f"{len(Q):9d}" + "         0" * 7 + "\n"
            "  0.000000E+00   2.612000E+02   0.000000E+00   1.000000E+00   1.542000E-01\n"
            "  3.000000E+01   5.639055E+00   0.000000E+00   0.000000E+00   0.000000E+00\n"
            + rows(Q * 10, I, DI) + "\n")
    if trailer:
        text += (f'<fileinfo version="3.00">\n  <column key="X">\n    <value key="unit">{unit}'
                 '</value>\n  </column>\n  <column key="Y">\n    <value key="unit">u_m^-2</value>'
                 "\n  </column>\n</fileinfo>\n")
    return text


@pytest.mark.parametrize("trailer, source", [(True, "file"), (False, "format")])
def test_pdh(tmp_path, trailer, source):
    path = write(tmp_path / "a.pdh", pdh_text(trailer))
    profile = load_saxs_profile(path)
    assert profile.format == "pdh" and profile.q_unit_in_file == "1/nm"
    assert profile.metadata["q_unit_source"] == source
    assert profile.metadata["wavelength_nm"] == pytest.approx(0.1542)
    np.testing.assert_allclose(profile.q, Q, rtol=1e-6)
    np.testing.assert_allclose(profile.uncertainty, DI, rtol=1e-6)
    # A .dat with a PDH header is read as PDH.
    assert load_saxs_profile(write(tmp_path / "b.DAT", pdh_text(trailer))).format == "pdh"


def test_pdh_unit_from_the_trailer(tmp_path):
    profile = load_saxs_profile(write(tmp_path / "a.pdh", pdh_text(unit="1/A")))
    np.testing.assert_allclose(profile.q, Q * 10, rtol=1e-6)
    with pytest.raises(ValueError, match=r"a\.pdh: <column key=\"X\"> unit='m' is not a"):
        load_saxs_profile(write(tmp_path / "a.pdh", pdh_text(unit="m")))


def write_old_nxcansas(path, resolutions, new_style=False):
    h5py = pytest.importorskip("h5py")
    key = "canSAS_class" if new_style else "NX_class"
    with h5py.File(path, "w") as f:
        for e in (1, 2):
            entry = f.create_group(f"sasentry0{e}")
            entry.attrs[key] = "SASentry"
            entry["title"] = f"entry {e}"
            two_d = entry.create_group("sasdata01")
            two_d.attrs.update({key: "SASdata", "I_axes": "Qx,Qy", "signal": "I"})
            two_d["I"] = np.ones((3, 3))
            data = entry.create_group("sasdata02")
            data.attrs.update({key: "SASdata", "I_axes": "Q", "signal": "I",
                               "I_uncertainty": "Idev"})
            data["Q"] = Q * 10 * e
            data["Q"].attrs["unit"] = "1/nm"
            data["I"] = I
            data["I"].attrs["unit"] = "1/cm"
            data["Idev"] = DI
            data["Q"].attrs["resolutions"] = ",".join(resolutions)
            for name in resolutions:
                data[name] = DQ * 10
                data[name].attrs["unit"] = "1/nm"
    return path


def test_old_style_nxcansas_entries_and_resolution(tmp_path):
    path = write_old_nxcansas(tmp_path / "old.h5", ["dQl", "dQw"])
    assert list_saxs_profiles(path) == [
        {"entry": e, "sasdata": d, "title": t, "n_points": n, "ndim": k}
        for e, t in [("sasentry01", "entry 1"), ("sasentry02", "entry 2")]
        for d, n, k in [("sasdata01", 9, 2), ("sasdata02", 4, 1)]
    ]
    with pytest.warns(SciMLEstimatorsWarning, match=r"holds 2 1-D profiles; loading "
                      r"entry='sasentry01' sasdata='sasdata02'. Pass entry="):
        first = load_saxs_profile(path)
    np.testing.assert_allclose(first.q, Q)
    np.testing.assert_allclose(first.slit_length, DQ)
    np.testing.assert_allclose(first.slit_width, DQ)
    np.testing.assert_array_equal(first.uncertainty, DI)
    assert first.dq is None and first.metadata["entry"] == "sasentry01"
    for choice in [{"entry": 1}, {"entry": "sasentry02", "sasdata": "sasdata02"}]:
        second = load_saxs_profile(path, **choice)
        np.testing.assert_allclose(second.q, 2 * Q)
        assert (second.metadata["entry"], second.metadata["sasdata"]) == ("sasentry02",
                                                                          "sasdata02")
    with pytest.raises(ValueError, match=r"old\.h5: entry='sasentry01' sasdata='sasdata01' is "
                       r"2-D data"):
        load_saxs_profile(path, entry=0, sasdata=0)
    with pytest.raises(ValueError, match=r"no profile with entry='nope'.*the file holds: "
                       r"entry='sasentry01' sasdata='sasdata01' \(2-D, 9 points"):
        load_saxs_profile(path, entry="nope")


@pytest.mark.parametrize("name", ["Qdev", "dQ"])
def test_nxcansas_pinhole_resolution(tmp_path, name):
    path = write_old_nxcansas(tmp_path / "p.h5", [name], new_style=True)
    profile = load_saxs_profile(path, entry=0)
    np.testing.assert_allclose(profile.dq, DQ)
    assert profile.slit_length is None


def write_two_entries(path, slit_unit="1/A"):
    points = [
        "".join(f'<Idata><Q unit="1/A">{q}</Q><I unit="1/cm">{i}</I><Idev unit="1/cm">{d}</Idev>'
                f'<Qdev unit="1/nm">{dq * 10}</Qdev></Idata>' for q, i, d, dq in zip(Q, I, DI, DQ)),
        "".join(f'<Idata><Q unit="1/A">{q / 100}</Q><I unit="1/cm">{i}</I>'
                f'<dQl unit="{slit_unit}">0.117</dQl></Idata>' for q, i in zip(Q, I)),
    ]
    entries = "".join(
        f'<SASentry name="{n}"><Title>latex {n}</Title><SASdata>{p}</SASdata></SASentry>'
        for n, p in zip(["pinhole", "slit"], points))
    return write(path, f'<?xml version="1.0"?>\n<SASroot version="1.1" '
                       f'xmlns="urn:cansas1d:1.1">{entries}</SASroot>\n')


def test_cansas_xml_entry_selection_and_resolution(tmp_path):
    path = write_two_entries(tmp_path / "latex.xml")
    assert [row["entry"] for row in list_saxs_profiles(path)] == ["pinhole", "slit"]
    with pytest.warns(SciMLEstimatorsWarning, match="holds 2 1-D profiles"):
        pinhole = load_saxs_profile(path)
    np.testing.assert_allclose(pinhole.dq, DQ, rtol=1e-12)  # its own unit, 1/nm
    assert pinhole.slit_length is None and pinhole.metadata["entry"] == "pinhole"
    slit = load_saxs_profile(path, entry="slit")
    np.testing.assert_allclose(slit.slit_length, 0.117)
    assert slit.dq is None and slit.slit_width is None and slit.metadata["sasdata"] == 0
    np.testing.assert_allclose(load_saxs_profile(path, entry=1, sasdata=0).q, Q / 100)
    with pytest.raises(ValueError, match=r"latex\.xml: no profile with entry=2"):
        load_saxs_profile(path, entry=2)
    bad = write_two_entries(tmp_path / "bad.xml", slit_unit="degrees")
    with pytest.raises(ValueError, match=r"bad\.xml: Idata/dQl unit='degrees' is not"):
        load_saxs_profile(bad, entry="slit")


def test_entry_on_single_profile_formats_and_listing(tmp_path):
    path = write(tmp_path / "s.dat", f"# q (1/A) I dI\n{rows(Q, I, DI)}\n")
    with pytest.raises(ValueError, match=re.escape(f"{path}: format 'ascii' holds one profile")):
        load_saxs_profile(path, entry=0)
    assert list_saxs_profiles(path) == [
        {"entry": None, "sasdata": None, "title": None, "n_points": 4, "ndim": 1}]
    profile = load_saxs_profile(path)
    assert profile.metadata["entry"] is None and profile.dq is None


def test_negative_resolution_is_refused(tmp_path):
    path = write(tmp_path / "n.dat", f"# q (1/A)\n{rows(Q, I, DI, [0.1, -0.1, 0.1, 0.1])}\n")
    with pytest.raises(ValueError, match=r"n\.dat: line 3: dq must be finite and non-negative"):
        load_saxs_profile(path)
