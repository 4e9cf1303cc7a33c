"""ASCII column files: ``q, I[, dI[, dQ]]``, whitespace or comma separated.

The fourth column is the pinhole resolution dQ, one standard deviation of q,
as SasView writes it (``<X> <Y> <dY> <dX>``, sasdata's ascii_reader reads
column 4 as dx) and GRASP exports it. The q unit comes only from a column
header line that starts with the q column (``# q (1/nm) I dI``, ``Q [A^-1]``,
``<X>``), from the text of that column alone.
"""

import re

import numpy as np

from ._saxs_profiles import RawProfile, is_number, parse_number, read_lines
from ._saxs_units import PER_CM, normalise, parse_q_unit, split_column_header

#: Column roles by column count.
_COLUMNS = {2: ("q", "intensity"), 3: ("q", "intensity", "uncertainty"),
            4: ("q", "intensity", "uncertainty", "dq")}


def _looks_like_data(numbers):
    """Whether a line whose fields are numbers or not (``numbers``) is a data row.

    It is if most of its fields are numbers, or half of them with a number
    first (as q is): a malformed first row, not a header to skip.
    """
    n_numbers = sum(numbers)
    return 2 * n_numbers > len(numbers) or (numbers[0] and 2 * n_numbers == len(numbers))


def _column_count_error(path, lineno, n, lines):
    hint = ""
    text = normalise(" ".join(line for line in lines if not line[:1].isdigit()))
    if re.search(r"\bq[xy]\b", text):
        hint = "; the header names qx/qy: this is 2-D data I(qx, qy), not a 1-D profile"
    elif n == 6:
        hint = "; a NIST 6-column reduced file (Q, I, dI, sigQ, meanQ, shadow) reads with " \
               "format='nist_abs'"
    return ValueError(
        f"{path}: line {lineno}: expected 2 to 4 columns (q, I[, dI[, dQ]]); got {n}{hint}."
    )


def read_ascii(path):
    """Read an ASCII column file into a :class:`RawProfile`."""
    header, rows, where, n_cols, first = [], [], [], None, None
    lines = read_lines(path)
    for lineno, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            header.append((lineno, stripped))
            continue
        tokens = stripped.split(",") if "," in stripped else stripped.split()
        numbers = [is_number(token) for token in tokens]
        if not all(numbers):
            if not rows and not _looks_like_data(numbers):  # a text header before the data
                header.append((lineno, stripped))
                continue
            field = numbers.index(False)
            hint = "" if rows else "; a header line has mostly text, or starts with '#'"
            raise ValueError(
                f"{path}: line {lineno}: non-numeric data: {stripped!r} (field {field + 1}, "
                f"{tokens[field].strip()!r}, is not a number{hint})."
            )
        values = [parse_number(token) for token in tokens]
        if n_cols is None:
            if len(values) not in _COLUMNS:
                raise _column_count_error(path, lineno, len(values), [t.strip() for t in lines])
            n_cols, first = len(values), lineno
        elif len(values) != n_cols:
            raise ValueError(
                f"{path}: line {lineno}: expected {n_cols} columns as on line {first}; "
                f"got {len(values)}."
            )
        rows.append(values)
        where.append(f"line {lineno}")
    if not rows:
        raise ValueError(f"{path}: no numeric data lines found.")

    found, unit_lines, intensity_unit = None, [], None
    for lineno, text in header:
        columns = split_column_header(text)
        if columns is None:
            continue
        unit = parse_q_unit(columns[0])
        if unit is not None:
            unit_lines.append(lineno)
            found = unit if found in (None, unit) else "ambiguous"
        if intensity_unit is None and PER_CM.search(normalise(columns[1])):
            intensity_unit = "1/cm"
    data = np.array(rows, dtype=float)
    arrays = {role: data[:, k] for k, role in enumerate(_COLUMNS[n_cols])}
    return RawProfile(
        **arrays,
        where=where,
        unit_found=found,
        unit_where=(f"q column header on line {', '.join(map(str, unit_lines))}" if unit_lines
                    else "no q unit in a q column header"),
        metadata={"header": [text for _, text in header], "intensity_unit": intensity_unit},
    )
