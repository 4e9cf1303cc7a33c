"""canSAS 1-D XML (``urn:cansas1d:1.0``, ``1.1``): every SASentry/SASdata, and reading one.

Each ``Idata`` point holds ``Q``, ``I`` and optionally ``Idev``, the pinhole
resolution ``Qdev`` (one standard deviation) or the slit resolution ``dQl``
(length) and ``dQw`` (width), each with its own ``unit`` attribute
(canSAS 1D v1.1 schema, cansas1d_v1_1.xsd).
"""

import xml.etree.ElementTree as ET

import numpy as np

from ._saxs_profiles import ProfileEntry, RawProfile, choose_profile
from ._saxs_units import TO_INV_ANGSTROM, unit_attribute

#: Idata element -> RawProfile field; Q and I are required.
_FIELDS = {"Q": "q", "I": "intensity", "Idev": "uncertainty", "Qdev": "dq", "dQl": "slit_length",
           "dQw": "slit_width"}
_RESOLUTION = ("Qdev", "dQl", "dQw")


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _children(element, name):
    return [child for child in element if _local(child.tag) == name]


def _child_text(element, name):
    found = _children(element, name)
    return found[0].text.strip() if found and found[0].text else None


def _root(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise ValueError(f"{path}: not well-formed XML: {error}.") from None
    if _local(root.tag) != "SASroot":
        raise ValueError(f"{path}: root element is {_local(root.tag)!r}, not SASroot.")
    return root


def _profiles(path, root):
    rows, entries, sasdatas = [], [], []
    for i, entry in enumerate(_children(root, "SASentry")):
        for k, block in enumerate(_children(entry, "SASdata")):
            points = _children(block, "Idata")
            ndim = 2 if points and _children(points[0], "Qx") else 1
            rows.append(ProfileEntry(entry.get("name", i), block.get("name", k),
                                     _child_text(entry, "Title"), len(points), ndim,
                                     (i, k, entry, block)))
            entries.append(i)
            sasdatas.append(k)
    if not rows:
        raise ValueError(f"{path}: no SASentry/SASdata element under SASroot.")
    return rows, entries, sasdatas


def list_cansas_xml(path):
    """The profiles a canSAS XML file holds, as :class:`ProfileEntry` rows."""
    return _profiles(path, _root(path))[0]


def _read_points(path, points, label):
    columns = {name: [] for name in _FIELDS}
    units = {name: set() for name in _FIELDS}
    where = []
    for k, point in enumerate(points, start=1):
        field = f"{label}/Idata[{k}]"
        where.append(field)
        for name, values in columns.items():
            element = _children(point, name)
            if not element or (name in _RESOLUTION and not (element[0].text or "").strip()):
                if name in ("Q", "I"):
                    raise ValueError(f"{path}: {field}: missing the {name} element.")
                values.append(None)
                continue
            try:
                values.append(float(element[0].text))
            except (TypeError, ValueError):
                raise ValueError(
                    f"{path}: {field}/{name}: not a number: {element[0].text!r}."
                ) from None
            units[name].add(element[0].get("unit", ""))
    arrays = {}
    for name, values in columns.items():
        n_given = sum(value is not None for value in values)
        if 0 < n_given < len(points):
            k = values.index(None) + 1
            raise ValueError(f"{path}: {label}/Idata[{k}]: missing {name}, which other points "
                             "have.")
        if len(units[name]) > 1:
            raise ValueError(f"{path}: {label}: {name} units differ: {sorted(units[name])}.")
        if n_given:
            arrays[name] = np.array(values, dtype=float)
    return arrays, {name: unit.pop() if unit else "" for name, unit in units.items()}, where


def read_cansas_xml(path, entry=None, sasdata=None):
    """Read the chosen SASentry/SASdata of a canSAS XML file into a :class:`RawProfile`."""
    root = _root(path)
    row = choose_profile(*_profiles(path, root), entry, sasdata, path)
    i, k, element, block = row.handle
    label = f"SASentry[{i + 1}]/SASdata[{k + 1}]"
    points = _children(block, "Idata")
    if not points:
        raise ValueError(f"{path}: {label} has no Idata points; refusing to load an empty "
                         "profile.")
    arrays, units, where = _read_points(path, points, label)
    q_unit = unit_attribute(units["Q"], path, "Idata/Q")
    resolution = {}
    for name in _RESOLUTION:
        if name in arrays:
            own = unit_attribute(units[name], path, f"Idata/{name}")
            factor = TO_INV_ANGSTROM[own] / TO_INV_ANGSTROM[q_unit] if own and q_unit else 1.0
            resolution[_FIELDS[name]] = arrays[name] * factor  # in the unit of Q
    sample = _children(element, "SASsample")
    instrument = _children(element, "SASinstrument")
    metadata = {
        "title": row.title,
        "run": [run.text.strip() for run in _children(element, "Run") if run.text],
        "sample_id": _child_text(sample[0], "ID") if sample else None,
        "instrument": _child_text(instrument[0], "name") if instrument else None,
        "notes": [note.text.strip() for note in _children(element, "SASnote") if note.text],
        "intensity_unit": units["I"] or None,
        "namespace": root.tag[1:].split("}")[0] if root.tag.startswith("{") else None,
        "n_entries": len(_children(root, "SASentry")),
        "entry": row.entry,
        "sasdata": row.sasdata,
    }
    return RawProfile(q=arrays["Q"], intensity=arrays["I"], uncertainty=arrays.get("Idev"),
                      where=where, unit_found=q_unit, unit_where="the Idata/Q unit attribute",
                      metadata=metadata, **resolution)
