"""NIST 6-column reduced SANS/USANS files (``.ABS``, ``.cor``), as the NCNR IGOR macros write them.

Layout (Kline, J. Appl. Cryst. 39, 895 (2006); sasdata's abs_reader): text
header lines, for SANS ending with ``The 6 columns are | Q (1/A) | I(Q) (1/cm)
| std. dev. I(Q) (1/cm) | sigmaQ | meanQ | ShadowFactor|``, for USANS with
``EMP LEVEL: ...``, then rows of six numbers. Q is in 1/A and I in 1/cm by the
format. sigmaQ is the pinhole resolution, one standard deviation of Q; in
USANS files it is negative and ``-sigmaQ`` is the slit length dQv (sasdata
reads it as dxl, with slit width 0). meanQ (the centre of the resolution
function) and the beam-stop shadow factor are kept in ``metadata``; q is the
nominal Q of column 1, where sasdata's abs_reader takes meanQ as x for SANS.
"""

import numpy as np

from ._saxs_profiles import RawProfile, is_number, parse_number, read_lines

#: The header line "MON CNT LAMBDA DET ANG DET DIST TRANS THICK AVE STEP" and the next one's fields.
_INSTRUMENT = {"wavelength_A": 1, "detector_distance_m": 3, "transmission": 4, "thickness_cm": 5}


def is_nist_abs(lines):
    """Whether a text file has the NIST SANS ("The 6 columns are") or USANS ("EMP LEVEL") header."""
    return any(line.startswith(("The 6 columns", "EMP LEVEL")) for line in lines)


def _instrument(lines):
    """Wavelength, distance, transmission and thickness from the line after the LAMBDA header."""
    for k, line in enumerate(lines[:-1]):
        if "LAMBDA" in line:
            tokens = lines[k + 1].split()
            return {name: float(tokens[i].rstrip("C")) for name, i in _INSTRUMENT.items()
                    if i < len(tokens) and is_number(tokens[i].rstrip("C"))}
    return {}


def read_abs(path):
    """Read a NIST 6-column file into a :class:`RawProfile`."""
    lines = read_lines(path)
    rows, where, header, first = [], [], [], None
    for lineno, line in enumerate(lines, start=1):
        tokens = line.split()
        if not tokens:
            continue
        if not all(is_number(token) for token in tokens):
            if rows:
                raise ValueError(f"{path}: line {lineno}: non-numeric line after the data "
                                 f"(from line {first}): {line.strip()!r}.")
            header.append(line.strip())
            continue
        if len(tokens) != 6:
            raise ValueError(
                f"{path}: line {lineno}: expected 6 columns (Q, I, dI, sigmaQ, meanQ, "
                f"shadow factor); got {len(tokens)}."
            )
        first = first or lineno
        rows.append([parse_number(token) for token in tokens])
        where.append(f"line {lineno}")
    if not rows:
        raise ValueError(f"{path}: no rows of 6 numbers found.")
    data = np.array(rows)
    sigma_q = data[:, 3]
    resolution = {"dq": sigma_q}
    if np.all(sigma_q < 0):  # USANS: -sigmaQ is the slit length
        resolution = {"slit_length": -sigma_q, "slit_width": np.zeros_like(sigma_q)}
    elif np.any(sigma_q < 0):
        i = int(np.argmax(sigma_q < 0))
        raise ValueError(
            f"{path}: {where[i]}: sigmaQ is negative (a USANS slit length) here but not on "
            "every row; expected all positive (SANS) or all negative (USANS)."
        )
    metadata = {
        "header": header, "intensity_unit": "1/cm", "mean_q": data[:, 4],
        "shadow_factor": data[:, 5], **_instrument(lines),
    }
    return RawProfile(q=data[:, 0], intensity=data[:, 1], uncertainty=data[:, 2], where=where,
                      unit_where="NIST 6-column files", fixed_unit="1/A", metadata=metadata,
                      point_metadata=("mean_q", "shadow_factor"),
                      **resolution)
