"""ISIS COLETTE / RKH ("FISH") 1-D text files, as LOQ, SANS2D and Mantid's SaveRKH write them.

Layout (Mantid ``SaveRKH::writeHeader``, mantidproject/mantid
Framework/DataHandling/src/SaveRKH.cpp): line 1 the instrument and date,
line 2 the title, line 3 ``n 0 0 0 1 n 0`` (n points), line 4 four zeros,
line 5 the Fortran format ``3 (F12.5,2E16.6)``, then n rows
``Q I dI [dQ]``; the fourth column is Mantid's Dx, the pinhole resolution
(one standard deviation of Q). The 1-D file does not state the q unit: ISIS
writes Q in 1/Angstrom (Mantid's MomentumTransfer unit; sasdata reads these
files as 1/A), taken unless ``q_unit`` is passed.
"""

import re

import numpy as np

from ._saxs_profiles import RawProfile, parse_number, read_lines

_FORTRAN_FORMAT = re.compile(r"^\s*\d+\s*\(\s*[A-Z]\d+\.\d+", re.IGNORECASE)


def is_rkh(lines):
    """Whether the first lines of a text file have the RKH header."""
    if len(lines) < 6 or not _FORTRAN_FORMAT.match(lines[4]):
        return False
    counts = lines[2].split()
    return len(counts) == 7 and all(token.isdigit() for token in counts)


def read_rkh(path):
    """Read an RKH 1-D file into a :class:`RawProfile`."""
    lines = read_lines(path)
    if not is_rkh(lines):
        raise ValueError(
            f"{path}: not an RKH 1-D file: expected line 3 to hold 7 integer counts and line "
            "5 a Fortran format such as ' 3 (F12.5,2E16.6)'."
        )
    n_points = int(lines[2].split()[0])
    rows, where = [], []
    for lineno, line in enumerate(lines[5:5 + n_points], start=6):
        tokens = line.split()
        try:
            values = [parse_number(token) for token in tokens]
        except ValueError:
            raise ValueError(
                f"{path}: line {lineno}: non-numeric data: {line.strip()!r}."
            ) from None
        if len(values) not in (3, 4) or (rows and len(values) != len(rows[0])):
            raise ValueError(
                f"{path}: line {lineno}: expected 3 or 4 columns (Q, I, dI[, dQ]) as on "
                f"line 6; got {len(values)}."
            )
        rows.append(values)
        where.append(f"line {lineno}")
    if len(rows) != n_points:
        raise ValueError(f"{path}: line 3 announces {n_points} points; found {len(rows)}.")
    data = np.array(rows, dtype=float)
    return RawProfile(
        q=data[:, 0], intensity=data[:, 1], uncertainty=data[:, 2],
        dq=data[:, 3] if data.shape[1] == 4 else None,
        where=where, unit_where="RKH files do not state it", fixed_unit="1/A",
        metadata={"title": lines[1].strip(), "header": [line.strip() for line in lines[:5]],
                  "intensity_unit": None},
    )
