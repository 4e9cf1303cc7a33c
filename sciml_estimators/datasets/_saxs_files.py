"""Loaders for measured 1-D SAXS profiles: ASCII columns, canSAS XML, NXcanSAS.

Every loader returns q in 1/Angstrom and refuses to guess: a q unit that is
neither stated in the file nor passed as ``q_unit`` is an error, and so is a
canSAS entry without data points (sasdata 0.11 assumes 1/A for ASCII and can
load such an XML file as an empty profile). Errors name the file and the line,
index or field at fault.
"""

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from .._framework import StrOptions, validate_params
from ..storage._optional import import_h5py

#: File extensions and the format each implies.
EXTENSIONS = {
    ".dat": "ascii",
    ".txt": "ascii",
    ".csv": "ascii",
    ".xml": "cansas_xml",
    ".h5": "nxcansas",
    ".hdf5": "nxcansas",
    ".hdf": "nxcansas",
    ".nxs": "nxcansas",
}
FORMATS = ("ascii", "cansas_xml", "nxcansas")

#: q[1/A] = q[unit] * factor.
_TO_INV_ANGSTROM = {"1/A": 1.0, "1/nm": 0.1}

_NM = re.compile(
    r"1/nm(?![a-z])|(?<![a-z])nm(?:\^|\*\*)?-1(?![0-9])"
    r"|1/nanomet(?:er|re)s?|inverse ?nanomet(?:er|re)s?|nanomet(?:er|re)s?(?:\^|\*\*)?-1"
)
_ANGSTROM = re.compile(
    r"1/(?:angstroem|angstrom|ang|a)s?(?![a-z])"
    r"|(?<![a-z])(?:angstroem|angstrom|ang|a)s?(?:\^|\*\*)?-1(?![0-9])"
    r"|inverse ?angstrom"
)
_PER_CM = re.compile(r"1/cm(?![a-z])|(?<![a-z])cm(?:\^|\*\*)?-1(?![0-9])")


def _normalise(text):
    for old, new in [("\u212b", "a"), ("\u00c5", "a"), ("\u00e5", "a"), ("\u00f6", "o")]:
        text = text.replace(old, new)
    text = text.replace("\u207b\u00b9", "^-1").replace("\u207b", "^-").replace("\u00b9", "1")
    text = re.sub(r"\s*([/^*\-])\s*", r"\1", text.lower())
    return re.sub(r"\s+", " ", text)


def _parse_q_unit(text):
    """Return ``"1/A"``, ``"1/nm"`` or None for the q unit written in ``text``.

    Recognises forms such as ``1/A``, ``A^-1``, ``A-1``, ``1/angstrom``,
    ``Å⁻¹``, ``1/nm``, ``nm^-1`` and ``nm-1``, anywhere in the text. Text that
    names both units gives ``"ambiguous"``.
    """
    text = _normalise(text)
    found = {unit for unit, regex in [("1/nm", _NM), ("1/A", _ANGSTROM)] if regex.search(text)}
    if len(found) > 1:
        return "ambiguous"
    return found.pop() if found else None


def _check_profile(q, intensity, uncertainty, where, path):
    """The checks shared by all formats; ``where[i]`` locates point i."""
    if q.size == 0:
        raise ValueError(f"{path}: no data points found.")
    checks = [
        (~np.isfinite(q) | (q <= 0), "q must be finite and positive; got {}"),
        (~np.isfinite(intensity), "intensity must be finite; got {}"),
    ]
    if uncertainty is not None:
        checks.append((~np.isfinite(uncertainty) | (uncertainty < 0), "uncertainty must be "
                       "finite and non-negative; got {}"))
    for (bad, message), values in zip(checks, [q, intensity, uncertainty]):
        if np.any(bad):
            i = int(np.argmax(bad))
            raise ValueError(f"{path}: {where[i]}: {message.format(values[i])}.")
    step = np.diff(q) <= 0
    if np.any(step):
        i = int(np.argmax(step)) + 1
        raise ValueError(
            f"{path}: {where[i]}: q must be strictly increasing; got {q[i]} after {q[i - 1]}."
        )


def _resolve_unit(found, given, path, where):
    """Combine the unit found in the file (or None) with the ``q_unit`` argument."""
    if found == "ambiguous":
        raise ValueError(
            f"{path}: {where} names both 1/A and 1/nm; pass q_unit='1/A' or q_unit='1/nm'."
        )
    if found is None and given is None:
        raise ValueError(
            f"{path}: the q unit could not be detected ({where}); "
            "pass q_unit='1/A' or q_unit='1/nm'."
        )
    if found is not None and given is not None and found != given:
        raise ValueError(f"{path}: {where} states q in {found} but q_unit={given!r} was passed.")
    return (found or given), ("file" if found else "argument")


def _is_number(token):
    try:
        float(token)
    except ValueError:
        return False
    return True


def _looks_like_data(numbers):
    """Whether a line whose fields are numbers or not (``numbers``) is a data row.

    It is if most of its fields are numbers, or half of them with a number
    first (as q is): a malformed first row, not a header to skip.
    """
    n_numbers = sum(numbers)
    return 2 * n_numbers > len(numbers) or (numbers[0] and 2 * n_numbers == len(numbers))


def _read_ascii(path, q_unit):
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        lines = path.read_text(encoding="latin-1").splitlines()
    header, rows, where, n_cols, first = [], [], [], None, None
    for lineno, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            header.append((lineno, stripped))
            continue
        tokens = stripped.split(",") if "," in stripped else stripped.split()
        numbers = [_is_number(token) for token in tokens]
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
        values = [float(token) for token in tokens]
        if n_cols is None:
            if len(values) not in (2, 3):
                raise ValueError(
                    f"{path}: line {lineno}: expected 2 or 3 columns (q, I[, dI]); "
                    f"got {len(values)}."
                )
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

    found, unit_lines = None, []
    for lineno, text in header:
        unit = _parse_q_unit(text)
        if unit is not None:
            unit_lines.append(lineno)
            found = unit if found in (None, unit) else "ambiguous"
    where_unit = (
        f"header line {', '.join(map(str, unit_lines))}" if unit_lines else "no unit in the header"
    )
    unit, source = _resolve_unit(found, q_unit, path, where_unit)
    data = np.array(rows, dtype=float)
    intensity_unit = next(
        ("1/cm" for _, text in header if _PER_CM.search(_normalise(text))), None
    )
    metadata = {
        "header": [text for _, text in header],
        "intensity_unit": intensity_unit,
        "q_unit_source": source,
    }
    uncertainty = data[:, 2] if n_cols == 3 else None
    return data[:, 0], data[:, 1], uncertainty, where, unit, metadata


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _children(element, name):
    return [child for child in element if _local(child.tag) == name]


def _child_text(element, name):
    found = _children(element, name)
    return found[0].text.strip() if found and found[0].text else None


def _read_cansas_xml(path, q_unit):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise ValueError(f"{path}: not well-formed XML: {error}.") from None
    if _local(root.tag) != "SASroot":
        raise ValueError(f"{path}: root element is {_local(root.tag)!r}, not SASroot.")
    entries = _children(root, "SASentry")
    if not entries:
        raise ValueError(f"{path}: no SASentry element under SASroot.")
    entry = entries[0]
    blocks = _children(entry, "SASdata")
    points = _children(blocks[0], "Idata") if blocks else []
    if not points:
        raise ValueError(
            f"{path}: SASentry[1]/SASdata[1] has no Idata points; refusing to load an "
            "empty profile."
        )

    columns = {"Q": [], "I": [], "Idev": []}
    units = {"Q": set(), "I": set()}
    where = []
    for k, point in enumerate(points, start=1):
        field = f"SASentry[1]/SASdata[1]/Idata[{k}]"
        where.append(field)
        for name, values in columns.items():
            element = _children(point, name)
            if not element:
                if name == "Idev":
                    values.append(None)
                    continue
                raise ValueError(f"{path}: {field}: missing the {name} element.")
            try:
                values.append(float(element[0].text))
            except (TypeError, ValueError):
                raise ValueError(
                    f"{path}: {field}/{name}: not a number: {element[0].text!r}."
                ) from None
            if name in units:
                units[name].add(element[0].get("unit", ""))
    n_dev = sum(value is not None for value in columns["Idev"])
    if 0 < n_dev < len(points):
        k = columns["Idev"].index(None) + 1
        raise ValueError(f"{path}: SASentry[1]/SASdata[1]/Idata[{k}]: missing Idev.")
    if len(units["Q"]) > 1:
        raise ValueError(f"{path}: SASentry[1]/SASdata[1]: Q units differ: {sorted(units['Q'])}.")

    q_attr = units["Q"].pop()
    found = _parse_q_unit(q_attr) if q_attr else None
    if q_attr and found is None:
        raise ValueError(
            f"{path}: Idata/Q unit={q_attr!r} is not a recognised q unit (1/A or 1/nm)."
        )
    unit, source = _resolve_unit(found, q_unit, path, "the Idata/Q unit attribute")
    sample = _children(entry, "SASsample")
    instrument = _children(entry, "SASinstrument")
    metadata = {
        "title": _child_text(entry, "Title"),
        "run": [run.text.strip() for run in _children(entry, "Run") if run.text],
        "sample_id": _child_text(sample[0], "ID") if sample else None,
        "instrument": _child_text(instrument[0], "name") if instrument else None,
        "notes": [note.text.strip() for note in _children(entry, "SASnote") if note.text],
        "intensity_unit": ",".join(sorted(units["I"])) or None,
        "namespace": root.tag[1:].split("}")[0] if root.tag.startswith("{") else None,
        "n_entries": len(entries),
        "q_unit_source": source,
    }
    uncertainty = np.array(columns["Idev"], dtype=float) if n_dev else None
    q, intensity = np.array(columns["Q"]), np.array(columns["I"])
    return q, intensity, uncertainty, where, unit, metadata


def _scalar(value, default=None):
    """An HDF5 attribute or dataset value as a Python scalar, bytes decoded."""
    value = value.tolist() if isinstance(value, np.ndarray) else value
    if isinstance(value, list):
        value = value[0] if value else default
    return value.decode() if isinstance(value, bytes) else value


def _attr(obj, name, default=None):
    return _scalar(obj.attrs.get(name, default), default)


def _read_nxcansas(path, q_unit):
    h5py = import_h5py("Reading NXcanSAS HDF5 files")

    try:
        file = h5py.File(path, "r")
    except OSError as error:
        raise ValueError(f"{path}: not a readable HDF5 file: {error}.") from None
    with file:
        groups = [g for g in file.values() if isinstance(g, h5py.Group)]
        entries = [g for g in groups if _attr(g, "canSAS_class") == "SASentry"]
        entries = entries or [g for g in groups if _attr(g, "NX_class") == "NXentry"]
        for entry in entries:
            children = [g for g in entry.values() if isinstance(g, h5py.Group)]
            data = [g for g in children if _attr(g, "canSAS_class") == "SASdata"]
            data = data or [g for g in children if "I_axes" in g.attrs or "signal" in g.attrs]
            if data:
                break
        else:
            raise ValueError(
                f"{path}: no group with canSAS_class='SASdata' (or signal/I_axes attributes) "
                "under an NXentry with canSAS_class='SASentry'."
            )
        group = data[0]
        names = {
            "I": _attr(group, "signal", "I"),
            "Q": str(_attr(group, "I_axes", "Q")).split(",")[0].strip(),
        }
        signal = group.get(names["I"])
        names["Idev"] = "Idev" if signal is None else _attr(signal, "uncertainties", "Idev")
        arrays = {}
        for key, name in names.items():
            if name not in group:
                if key == "Idev":
                    continue
                raise ValueError(f"{path}: {group.name}: missing the {name} dataset.")
            values = np.asarray(group[name][()], dtype=float)
            if values.ndim != 1:
                raise ValueError(
                    f"{path}: {group.name}/{name}: expected a 1-D dataset; got shape "
                    f"{values.shape}."
                )
            arrays[key] = values
        n = arrays["Q"].size
        for key, values in arrays.items():
            if values.size != n:
                raise ValueError(
                    f"{path}: {group.name}/{names[key]}: {values.size} points, but Q has {n}."
                )
        q_attr = _attr(group[names["Q"]], "units")
        intensity_unit = _attr(group[names["I"]], "units")
        sample = [g for g in entry.values() if _attr(g, "canSAS_class") == "SASsample"]
        sample = sample[0] if sample else {}
        metadata = {
            "title": _scalar(entry["title"][()]) if "title" in entry else None,
            "run": _scalar(entry["run"][()]) if "run" in entry else None,
            "sample_id": _scalar(sample["name"][()]) if "name" in sample else None,
            "intensity_unit": intensity_unit,
            "entry": entry.name,
            "data": group.name,
        }
        q_field = f"{group.name}/{names['Q']}"

    found = _parse_q_unit(str(q_attr)) if q_attr else None
    if q_attr and found is None:
        raise ValueError(f"{path}: {q_field} units={q_attr!r} is not a recognised q unit.")
    unit, metadata["q_unit_source"] = _resolve_unit(found, q_unit, path, f"{q_field}@units")
    where = [f"{metadata['data']} index {i}" for i in range(n)]
    return arrays["Q"], arrays["I"], arrays.get("Idev"), where, unit, metadata


_READERS = {"ascii": _read_ascii, "cansas_xml": _read_cansas_xml, "nxcansas": _read_nxcansas}


@validate_params(
    {
        "path": [str, os.PathLike],
        "format": [StrOptions(set(FORMATS)), None],
        "q_unit": [StrOptions(set(_TO_INV_ANGSTROM)), None],
    },
    prefer_skip_nested_validation=True,
)
def load_saxs_profile(path, *, format=None, q_unit=None):
    """Load a measured 1-D SAXS profile, with q converted to 1/Angstrom.

    Reads three formats: ASCII columns ``q, I[, dI]`` (whitespace or comma
    separated, ``#`` comments and text header lines allowed; a line before the
    data whose fields are mostly numbers, or half of them with a number first,
    is a malformed data row and an error, not a header), canSAS 1-D XML
    (``urn:cansas1d:1.0`` or ``1.1``; the first SASentry and its first
    SASdata) and NXcanSAS HDF5 (the first SASdata group of the first
    SASentry; needs h5py). The q unit is read from the file: an ASCII header
    such as ``q (1/nm)``, ``Q [A^-1]`` or ``q(Å⁻¹)``, the ``unit`` attribute
    of canSAS ``Q`` or the ``units`` attribute of NXcanSAS ``Q``. It is
    never assumed.

    Parameters
    ----------
    path : str or path-like
        The file to read.
    format : {"ascii", "cansas_xml", "nxcansas"}, default=None
        The file format. ``None`` infers it from the extension: ``.dat``,
        ``.txt``, ``.csv`` (ascii), ``.xml`` (cansas_xml), ``.h5``, ``.hdf5``,
        ``.hdf``, ``.nxs`` (nxcansas).
    q_unit : {"1/A", "1/nm"}, default=None
        The unit of q in the file, for files that do not state it. A file
        that states a different unit is an error.

    Returns
    -------
    profile : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        q : ndarray of shape (n_q,)
            Strictly increasing, positive scattering vectors in 1/Angstrom.
        intensity : ndarray of shape (n_q,)
            I(q), finite, in the file's units (``metadata["intensity_unit"]``,
            None when the file does not say).
        uncertainty : ndarray of shape (n_q,) or None
            The error dI of the intensity, None when the file has none.
        q_unit_in_file : {"1/A", "1/nm"}
            The unit q had in the file.
        metadata : dict
            What the file says besides the data (title, run, sample, header
            lines, ...) and ``q_unit_source``: ``"file"`` or ``"argument"``.
        format : str
            The format read.
        path : str
            The file read.

    Raises
    ------
    ValueError
        If the file cannot be parsed, has no data points, no detectable q
        unit, a wrong number of columns, non-positive or non-increasing q
        or non-finite intensities; the message names the file and the line,
        index or field.
    ImportError
        If an NXcanSAS file is read without h5py installed.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from sciml_estimators.datasets import load_saxs_profile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "sample.dat"
    ...     _ = path.write_text("# q (1/nm)  I (1/cm)  dI\\n0.1 10.0 0.5\\n0.2 8.0 0.4\\n")
    ...     profile = load_saxs_profile(path)
    >>> profile.q, profile.q_unit_in_file, profile.metadata["intensity_unit"]
    (array([0.01, 0.02]), '1/nm', '1/cm')
    """
    path = Path(path)
    if format is None:
        format = EXTENSIONS.get(path.suffix.lower())
        if format is None:
            known = ", ".join(f"{ext} ({fmt})" for ext, fmt in EXTENSIONS.items())
            raise ValueError(
                f"{path}: unknown extension {path.suffix!r}; known: {known}. "
                f"Pass format= one of {list(FORMATS)}."
            )
    q, intensity, uncertainty, where, unit, metadata = _READERS[format](path, q_unit)
    _check_profile(q, intensity, uncertainty, where, path)
    return Bunch(
        q=q * _TO_INV_ANGSTROM[unit],
        intensity=intensity,
        uncertainty=uncertainty,
        q_unit_in_file=unit,
        metadata=metadata,
        format=format,
        path=str(path),
    )
