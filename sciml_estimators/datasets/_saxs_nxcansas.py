"""NXcanSAS HDF5: every SASentry/SASdata group, and reading one 1-D profile.

Entries are groups with ``canSAS_class='SASentry'`` (NXcanSAS 1.0+) or, in
files written before the NeXus classes were added (and read by sasdata),
``NX_class='SASentry'``; data groups likewise ``SASdata``. The signal
(``signal``, default ``I``) is plotted against the first of ``I_axes``
(default ``Q``); its uncertainty is named by ``uncertainties`` (older files:
``uncertainty``, or the group's ``I_uncertainty``) and Q's resolution by
``resolutions`` on Q: one pinhole dataset (``Qdev``, ``dQ``: one standard
deviation) or the slit pair ``dQl``, ``dQw`` (NXcanSAS definition,
manual.nexusformat.org/classes/applications/NXcanSAS.html). Units are read
from ``units`` (older files: ``unit``).
"""

import numpy as np

from ..storage._optional import import_h5py
from ._saxs_profiles import ProfileEntry, RawProfile, choose_profile
from ._saxs_units import TO_INV_ANGSTROM, unit_attribute


def _scalar(value, default=None):
    """An HDF5 attribute or dataset value as a Python scalar, bytes decoded."""
    value = value.tolist() if isinstance(value, np.ndarray) else value
    if isinstance(value, list):
        value = value[0] if value else default
    return value.decode() if isinstance(value, bytes) else value


def _attr(obj, *names, default=None):
    for name in names:
        if name in obj.attrs:
            return _scalar(obj.attrs[name], default)
    return default


def _is(group, cls):
    return cls in (_attr(group, "canSAS_class"), _attr(group, "NX_class"))


def _groups(parent, h5py, cls):
    return [(name, g) for name, g in parent.items() if isinstance(g, h5py.Group) and _is(g, cls)]


def _axis_names(group):
    return [name.strip() for name in str(_attr(group, "I_axes", default="Q")).split(",")]


def _text(entry, name):
    return _scalar(entry[name][()]) if name in entry else None


def _profiles(file, h5py, path):
    rows, entries, sasdatas = [], [], []
    for i, (entry_name, entry) in enumerate(_groups(file, h5py, "SASentry")):
        for k, (data_name, group) in enumerate(_groups(entry, h5py, "SASdata")):
            signal = group.get(_attr(group, "signal", default="I"))
            shape = signal.shape if signal is not None else (0,)
            axes = _axis_names(group)
            ndim = 2 if len(axes) > 1 or "Qx" in axes else 1
            rows.append(ProfileEntry(entry_name, data_name, _text(entry, "title"),
                                     int(np.prod(shape)), ndim, group))
            entries.append(i)
            sasdatas.append(k)
    if not rows:
        raise ValueError(
            f"{path}: no SASdata group (canSAS_class or NX_class 'SASdata') under a SASentry "
            "group."
        )
    return rows, entries, sasdatas


def _open(path, purpose):
    h5py = import_h5py(purpose)
    try:
        return h5py, h5py.File(path, "r")
    except OSError as error:
        raise ValueError(f"{path}: not a readable HDF5 file: {error}.") from None


def list_nxcansas(path):
    """The profiles an NXcanSAS file holds, as :class:`ProfileEntry` rows."""
    h5py, file = _open(path, "Reading NXcanSAS HDF5 files")
    with file:
        rows = _profiles(file, h5py, path)[0]
    for row in rows:
        row.handle = None
    return rows


def _dataset(group, name, path, n=None):
    values = np.asarray(group[name][()], dtype=float)
    if values.ndim != 1:
        raise ValueError(
            f"{path}: {group.name}/{name}: expected a 1-D dataset; got shape {values.shape}"
            + (" (several frames of 1-D data; not supported)" if values.ndim == 2 else "") + "."
        )
    if n is not None and values.size != n:
        raise ValueError(f"{path}: {group.name}/{name}: {values.size} points, but Q has {n}.")
    return values


def read_nxcansas(path, entry=None, sasdata=None):
    """Read the chosen 1-D SASdata group of an NXcanSAS file into a :class:`RawProfile`."""
    h5py, file = _open(path, "Reading NXcanSAS HDF5 files")
    with file:
        row = choose_profile(*_profiles(file, h5py, path), entry, sasdata, path)
        group = row.handle
        q_name, i_name = _axis_names(group)[0], _attr(group, "signal", default="I")
        for name in (q_name, i_name):
            if name not in group:
                raise ValueError(f"{path}: {group.name}: missing the {name} dataset.")
        q = _dataset(group, q_name, path)
        arrays = {"q": q, "intensity": _dataset(group, i_name, path, q.size)}
        q_field = f"{group.name}/{q_name}"
        q_unit = unit_attribute(_attr(group[q_name], "units", "unit"), path, q_field)
        dev = _attr(group[i_name], "uncertainties", "uncertainty") or \
            _attr(group, "I_uncertainties", "I_uncertainty") or "Idev"
        if dev in group:
            arrays["uncertainty"] = _dataset(group, dev, path, q.size)
        resolutions = str(_attr(group[q_name], "resolutions", default="")).split(",")
        for name in filter(None, (name.strip() for name in resolutions)):
            if name not in group:
                raise ValueError(f"{path}: {q_field}@resolutions names {name!r}, which "
                                 f"{group.name} does not hold.")
            key = {"dQl": "slit_length", "dQw": "slit_width"}.get(name, "dq")
            own = unit_attribute(_attr(group[name], "units", "unit"), path, f"{group.name}/{name}")
            factor = TO_INV_ANGSTROM[own] / TO_INV_ANGSTROM[q_unit] if own and q_unit else 1.0
            arrays[key] = _dataset(group, name, path, q.size) * factor
        entry_group = group.parent
        sample = [g for _, g in _groups(entry_group, h5py, "SASsample")]
        metadata = {
            "title": row.title,
            "run": _text(entry_group, "run"),
            "sample_id": _text(sample[0], "name") if sample else None,
            "intensity_unit": _attr(group[i_name], "units", "unit"),
            "entry": row.entry,
            "sasdata": row.sasdata,
            "data": group.name,
        }
    return RawProfile(**arrays, where=[f"{metadata['data']} index {i}" for i in range(q.size)],
                      unit_found=q_unit, unit_where=f"{q_field}@units", metadata=metadata)
