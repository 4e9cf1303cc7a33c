"""What every SAXS file reader shares: the raw profile it returns, its checks, and entry choice.

A reader returns a :class:`RawProfile` in the file's q unit; the dispatcher
(:mod:`._saxs_files`) checks it and converts q and the resolution to 1/A.
Readers of files that hold several profiles (canSAS XML, NXcanSAS) list them
as :class:`ProfileEntry` rows and choose one with :func:`choose_profile`.
"""

import re
import warnings
from numbers import Integral
from dataclasses import dataclass, field

import numpy as np

from ..exceptions import SciMLEstimatorsWarning


@dataclass
class RawProfile:
    """One profile as read, q and the resolution in the file's q unit."""

    q: np.ndarray
    intensity: np.ndarray
    uncertainty: np.ndarray = None
    dq: np.ndarray = None
    slit_length: np.ndarray = None
    slit_width: np.ndarray = None
    where: list = field(default_factory=list)  # where[i] locates point i in the file
    point_metadata: tuple = ()  # keys of metadata holding one value per point
    unit_found: str = None  # "1/A", "1/nm", "ambiguous" or None
    unit_where: str = ""  # the field the unit was looked for in
    fixed_unit: str = None  # the unit the format defines, when the file does not state one
    metadata: dict = field(default_factory=dict)


@dataclass
class ProfileEntry:
    """One profile a file holds: where it is, what it is."""

    entry: object  # the name (or 0-based index) that selects it with entry=
    sasdata: object
    title: str
    n_points: int
    ndim: int  # 1 for I(q), 2 for I(qx, qy)
    handle: object = None  # the reader's own pointer to it

    def as_dict(self):
        return {"entry": self.entry, "sasdata": self.sasdata, "title": self.title,
                "n_points": self.n_points, "ndim": self.ndim}


#: Microsoft C runtime's text for non-finite floats (``-1.#IND`` is its NaN), as old
#: Windows programs (SasView's ancestors, IGOR exports) wrote them.
_MSVC_SPECIAL = re.compile(r"^([+-]?)1\.#(INF|IND|QNAN|SNAN)0*$", re.IGNORECASE)


def parse_number(token):
    """``float(token)``, also reading MSVC's ``1.#INF``, ``-1.#IND``, ``1.#QNAN`` as inf or NaN.

    Raises ValueError for anything else that is not a number.
    """
    try:
        return float(token)
    except ValueError:
        special = _MSVC_SPECIAL.match(token.strip())
        if special is None:
            raise
        if special.group(2).upper() == "INF":
            return float(special.group(1) + "inf")
        return float("nan")


def is_number(token):
    try:
        parse_number(token)
    except ValueError:
        return False
    return True


def read_lines(path):
    """The text lines of ``path``, as UTF-8 or else Latin-1."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return path.read_text(encoding="latin-1").splitlines()


def _matches(wanted, name, index):
    return wanted is None or wanted == name or (isinstance(wanted, Integral) and wanted == index)


def choose_profile(rows, entries, sasdatas, entry, sasdata, path):
    """The row of ``rows`` that ``entry`` and ``sasdata`` select.

    ``entries`` and ``sasdatas`` give each row's 0-based entry index and
    index within its entry. With neither chosen, the first 1-D profile is
    taken, with a :class:`~sciml_estimators.exceptions.SciMLEstimatorsWarning`
    when the file holds other 1-D profiles. A chosen 2-D profile is an error.
    """
    chosen = [
        row for row, i, k in zip(rows, entries, sasdatas)
        if _matches(entry, row.entry, i) and _matches(sasdata, row.sasdata, k)
    ]
    held = "; ".join(
        f"entry={row.entry!r} sasdata={row.sasdata!r} ({row.ndim}-D, {row.n_points} points"
        f"{', ' + repr(row.title) if row.title else ''})" for row in rows
    ) or "nothing"
    if not chosen:
        raise ValueError(
            f"{path}: no profile with entry={entry!r}, sasdata={sasdata!r} (names, or 0-based "
            f"indices); the file holds: {held}."
        )
    one_d = [row for row in chosen if row.ndim == 1]
    if not one_d:
        raise ValueError(
            f"{path}: entry={chosen[0].entry!r} sasdata={chosen[0].sasdata!r} is 2-D data "
            f"(I(qx, qy)); load_saxs_profile reads 1-D profiles I(q). The file holds: {held}."
        )
    if len(one_d) > 1:
        warnings.warn(
            f"{path}: holds {len(one_d)} 1-D profiles; loading entry={one_d[0].entry!r} "
            f"sasdata={one_d[0].sasdata!r}. Pass entry= and sasdata= (names or 0-based "
            f"indices) to choose; the file holds: {held}.",
            SciMLEstimatorsWarning,
            stacklevel=4,
        )
    return one_d[0]


def check_profile(raw, path):
    """The checks shared by all formats, naming the line, index or field at fault."""
    q, where = raw.q, raw.where
    if q.size == 0:
        raise ValueError(f"{path}: no data points found.")
    checks = [
        (q, ~np.isfinite(q) | (q <= 0), "q must be finite and positive"),
        (raw.intensity, ~np.isfinite(raw.intensity), "intensity must be finite"),
    ]
    for name in ["uncertainty", "dq", "slit_length", "slit_width"]:
        values = getattr(raw, name)
        if values is not None:
            checks.append((values, ~np.isfinite(values) | (values < 0),
                           f"{name} must be finite and non-negative"))
    for values, bad, message in checks:
        if np.any(bad):
            i = int(np.argmax(bad))
            raise ValueError(f"{path}: {where[i]}: {message}; got {values[i]}.")
    step = np.diff(q) < 0  # a repeated q is merged afterwards (merge_repeated_q)
    if np.any(step):
        i = int(np.argmax(step)) + 1
        raise ValueError(
            f"{path}: {where[i]}: q must be in increasing order; got {q[i]} after {q[i - 1]}."
        )
