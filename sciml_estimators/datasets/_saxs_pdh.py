"""Anton Paar ``.pdh`` files (SAXSess, SAXSpace; PCG software).

Layout (sasdata's anton_paar_saxs_reader; Anton Paar's PDH description):
line 1 the title, line 2 keywords, line 3 eight integers of which the first
is the number of points n, lines 4-5 ten parameters (line 4 field 5 the
wavelength in nm), then n rows ``q I dI``, then an XML ``<fileinfo>``
trailer whose ``<column key="X">`` states the q unit (``n_m^-1``). Without
the trailer q is in 1/nm, the unit sasdata's reader assigns.
"""

import xml.etree.ElementTree as ET

import numpy as np

from ._saxs_profiles import RawProfile, is_number, parse_number, read_lines
from ._saxs_units import unit_attribute


def is_pdh(lines):
    """Whether a text file starts with the PDH header (8 integers, then 2 lines of 5 numbers)."""
    if len(lines) < 6:
        return False
    counts, fields = lines[2].split(), [line.split() for line in lines[3:5]]
    return (len(counts) == 8 and all(token.isdigit() for token in counts)
            and all(len(tokens) == 5 and all(is_number(t) for t in tokens) for tokens in fields))


def _column_unit(trailer, key):
    """The ``unit`` value of ``<column key=...>`` in the XML trailer, or None."""
    for column in trailer.iter("column"):
        if column.get("key") == key:
            for value in column.iter("value"):
                if value.get("key") == "unit":
                    return (value.text or "").strip()
    return None


def read_pdh(path):
    """Read an Anton Paar PDH file into a :class:`RawProfile`."""
    lines = read_lines(path)
    try:
        n_points = int(lines[2].split()[0])
        wavelength_nm = float(lines[3].split()[4])
    except (IndexError, ValueError):
        raise ValueError(
            f"{path}: not a PDH file: expected line 3 to start with the number of points and "
            "line 4 to hold five numbers (field 5 the wavelength in nm)."
        ) from None
    rows, where = [], []
    for lineno, line in enumerate(lines[5:5 + n_points], start=6):
        try:
            values = [parse_number(token) for token in line.split()]
        except ValueError:
            raise ValueError(
                f"{path}: line {lineno}: non-numeric data: {line.strip()!r}."
            ) from None
        if len(values) != 3:
            raise ValueError(f"{path}: line {lineno}: expected 3 columns (q, I, dI); "
                             f"got {len(values)}.")
        rows.append(values)
        where.append(f"line {lineno}")
    if len(rows) != n_points:
        raise ValueError(f"{path}: line 3 announces {n_points} points; found {len(rows)}.")
    tail = "\n".join(lines[5 + n_points:]).strip()
    q_attr = intensity_unit = None
    if tail:
        try:
            trailer = ET.fromstring(tail)
        except ET.ParseError as error:
            raise ValueError(f"{path}: the XML trailer after the data is not well-formed: "
                             f"{error}.") from None
        q_attr, intensity_unit = _column_unit(trailer, "X"), _column_unit(trailer, "Y")
    data = np.array(rows, dtype=float).reshape(-1, 3)
    return RawProfile(
        q=data[:, 0], intensity=data[:, 1], uncertainty=data[:, 2], where=where,
        unit_found=unit_attribute(q_attr, path, '<column key="X">'),
        unit_where='the <column key="X"> unit of the XML trailer',
        fixed_unit="1/nm",
        metadata={"title": lines[0].strip(), "keywords": lines[1].strip(),
                  "wavelength_nm": wavelength_nm, "intensity_unit": intensity_unit},
    )
