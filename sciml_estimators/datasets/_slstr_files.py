"""Loaders for real Sentinel-3 SLSTR cloud-masking scenes: L1B product folders and STFC HDF5.

Both return the layout of :func:`make_slstr_scenes`: ``data`` of shape
(n_scenes, 9, H, W) holding the nadir channels S1-S6 as top-of-atmosphere
reflectance (0.555, 0.659, 0.865, 1.375, 1.61, 2.25 um) and S7-S9 as
brightness temperature in K (3.74, 10.85, 12.0 um) on the 1 km grid, and
``target`` of shape (n_scenes, H, W), the Bayesian cloud mask (1 cloud,
0 clear). Pixels that real products leave empty (fill values at the swath
edges) stay NaN in ``data`` and are marked False in ``valid``; they are not
an error. Files are read with h5py only (NetCDF4 files are HDF5 files), and
the CF attributes ``scale_factor``, ``add_offset`` and ``_FillValue`` are
applied here. Errors name the file and the variable at fault.
"""

import os
from numbers import Integral
from pathlib import Path

import numpy as np
from scipy.interpolate import RegularGridInterpolator
from sklearn.utils import Bunch

from .._framework import Number, validate_params
from ..simulators._slstr import CHANNEL_NAMES, WAVELENGTHS_UM
from ..storage._optional import import_h5py
from ._slstr import TARGET_NAMES

HDF5_EXTENSIONS = (".h5", ".hdf5", ".hdf")

#: ``bayes_in`` bits used when a file has no ``flag_masks``/``flag_meanings``
#: attributes (the values written in SLSTR L1B products; CEOS-ARD Surface
#: Temperature PFS 5.0 names bit 2 "single_moderate").
BAYES_FLAGS = {"single_low": 1, "single_moderate": 2, "dual_low": 4, "dual_moderate": 8}

#: The files of a product folder: (file, variable) for each input read.
_RADIANCE = [(f"S{k}_radiance_an.nc", f"S{k}_radiance_an") for k in range(1, 7)]
_IRRADIANCE = [(f"S{k}_quality_an.nc", f"S{k}_solar_irradiance_an") for k in range(1, 7)]
_BT = [(f"S{k}_BT_in.nc", f"S{k}_BT_in") for k in range(7, 10)]
_OTHER = ["geometry_tn.nc", "cartesian_in.nc", "cartesian_tx.nc", "flags_in.nc"]
_PRODUCT_FILES = [name for name, _ in _RADIANCE + _IRRADIANCE + _BT] + _OTHER


def _attr(attrs, name):
    """A scalar attribute (netCDF stores them as 1-element arrays), or None."""
    if name not in attrs:
        return None
    value = np.asarray(attrs[name]).ravel()
    return value[0] if value.size else None


def _read(path, variable, raw=False):
    """``(values, attrs)`` of one variable; unpacked to float64 with fill as NaN unless raw."""
    h5py = import_h5py("Reading SLSTR files")
    try:
        file = h5py.File(path, "r")
    except OSError as error:
        raise ValueError(f"{path}: not a readable NetCDF4/HDF5 file: {error}.") from None
    with file:
        if not isinstance(file.get(variable), h5py.Dataset):
            found = sorted(k for k, v in file.items() if isinstance(v, h5py.Dataset))
            raise ValueError(f"{path}: no variable {variable!r}; found {found}.")
        dataset = file[variable]
        values, attrs = dataset[()], dict(dataset.attrs)
    if raw:
        return values, attrs
    decoded = np.asarray(values, dtype=np.float64)
    fill = _attr(attrs, "_FillValue")
    if fill is not None:
        decoded[values == fill] = np.nan
    for name, apply in [("scale_factor", np.multiply), ("add_offset", np.add)]:
        value = _attr(attrs, name)
        if value is not None:
            decoded = apply(decoded, float(value))
    return decoded, attrs


def _check_shape(values, shape, path, variable):
    if values.shape != tuple(shape):
        raise ValueError(
            f"{path}: {variable} has shape {values.shape}; expected {tuple(shape)}."
        )


def _bayes_bits(bayes_flags, attrs, where):
    """The bit mask that means cloud, or None for "any bit set"."""
    names = [bayes_flags] if isinstance(bayes_flags, (str, Integral)) else list(bayes_flags)
    if names == ["any"]:
        return None
    meanings, masks = attrs.get("flag_meanings"), attrs.get("flag_masks")
    table = BAYES_FLAGS
    if meanings is not None and masks is not None:
        meanings = meanings.decode() if isinstance(meanings, bytes) else str(meanings)
        masks = np.asarray(masks).ravel()
        if len(meanings.split()) == masks.size:
            table = {name: int(mask) for name, mask in zip(meanings.split(), masks)}
    bits = 0
    for name in names:
        if isinstance(name, Integral) and not isinstance(name, bool):
            bits |= int(name)
        elif name not in table or name == "spare":
            known = sorted(set(table) - {"spare"})
            raise ValueError(f"{where}: unknown bayes_in flag {name!r}; known flags: {known}.")
        else:
            bits |= table[name]
    return bits


def _subsample(arrays, size, where):
    """Evenly spaced rows and columns (nearest index) of (..., H, W) arrays."""
    height, width = arrays[0].shape[-2:]
    if size is None:
        return arrays
    if size > min(height, width):
        raise ValueError(f"{where}: size={size} exceeds the scene's {height}x{width} pixels.")
    rows = np.round(np.linspace(0, height - 1, size)).astype(int)
    cols = np.round(np.linspace(0, width - 1, size)).astype(int)
    return [a[..., rows, :][..., cols] for a in arrays]


def _scene(data, target, path, size, descr, flagged=None):
    valid = np.all(np.isfinite(data), axis=0)
    if flagged is not None:  # a fill value in the cloud flags: no label
        valid &= ~flagged
        target = target & ~flagged
    data, target, valid = _subsample([data, target, valid], size, path)
    return Bunch(
        data=data[None].astype(np.float32),
        target=target[None].astype(np.uint8),
        valid=valid[None],
        channel_names=list(CHANNEL_NAMES),
        wavelengths=WAVELENGTHS_UM.copy(),
        target_names=list(TARGET_NAMES),
        filenames=[str(path)],
        DESCR=descr,
    )


def _solar_zenith(folder, shape):
    """Solar zenith angle (degrees) interpolated from the tie points onto the 1 km grid."""
    sza, _ = _read(folder / "geometry_tn.nc", "solar_zenith_tn")
    grid = {}
    for name in ["x_tx", "y_tx", "x_in", "y_in"]:
        path = folder / f"cartesian_{name[-2:]}.nc"
        grid[name], _ = _read(path, name)
        _check_shape(grid[name], sza.shape if name.endswith("tx") else shape, path, name)
    # The tie-point grid is rectilinear in the image x/y coordinates (as satpy's
    # slstr_l1b reader assumes): x varies along a row, y down a column.
    axes = []
    for name, line in [("y_tx", grid["y_tx"][:, 0]), ("x_tx", grid["x_tx"][0, :])]:
        order = np.argsort(line)
        if line.size < 2 or not np.all(np.isfinite(line)) or np.any(np.diff(line[order]) <= 0):
            raise ValueError(
                f"{folder / 'cartesian_tx.nc'}: {name} must hold at least two distinct, "
                f"finite tie-point coordinates; got {line}."
            )
        axes.append((line[order], order))
    (tie_y, order_y), (tie_x, order_x) = axes
    interpolator = RegularGridInterpolator(
        (tie_y, tie_x), sza[np.ix_(order_y, order_x)], bounds_error=False, fill_value=None
    )
    x_in, y_in = grid["x_in"], grid["y_in"]
    out = np.full(shape, np.nan)
    ok = np.isfinite(x_in) & np.isfinite(y_in)
    out[ok] = interpolator(np.column_stack([y_in[ok], x_in[ok]]))
    return out


@validate_params(
    {
        "path": [str, os.PathLike],
        "size": [Number(Integral, 1, None, closed="left"), None],
        "bayes_flags": [str, Number(Integral, 1, None, closed="left"), list, tuple],
    },
    prefer_skip_nested_validation=True,
)
def load_slstr_scene(path, *, size=None, bayes_flags="any"):
    """Load one Sentinel-3 SLSTR L1B product folder (``*.SEN3``) as a cloud-masking scene.

    Reads the nadir view: radiances ``S{k}_radiance_an`` (k = 1..6, 500 m "a"
    stripe grid, twice the 1 km rows and columns), brightness temperatures
    ``S{k}_BT_in`` (k = 7..9, 1 km grid) and the Bayesian cloud flags
    ``bayes_in`` from ``flags_in.nc``. Radiances become reflectances
    ``pi L / (F0 cos SZA)``: F0 is the mean of the finite per-detector
    values of ``S{k}_solar_irradiance_an`` (``S{k}_quality_an.nc``), and the
    solar zenith angle ``solar_zenith_tn`` (``geometry_tn.nc``) is
    interpolated bilinearly from the tie-point grid onto the 1 km grid in the
    image x/y coordinates (``x_tx``, ``y_tx`` of ``cartesian_tx.nc`` for the
    tie points, ``x_in``, ``y_in`` of ``cartesian_in.nc`` for the pixels).
    The reflectances are then brought to the 1 km grid by 2x2 block means.
    No vicarious radiance adjustment (EUMETSAT product notices) is applied.

    Missing pixels are not an error: where a brightness temperature or a
    radiance is a fill value (real products have them at the swath edges),
    or the sun is below the horizon (SZA >= 90), ``data`` holds NaN and
    ``valid`` is False. Where ``bayes_in`` holds its ``_FillValue``,
    ``target`` is 0 and ``valid`` is False.

    Parameters
    ----------
    path : str or path-like
        The product folder.
    size : int, default=None
        If given, subsample the scene to ``size`` x ``size`` pixels by taking
        evenly spaced rows and columns (the nearest ones; no averaging). The
        paper used 250x250. ``None`` keeps the full 1 km grid.
    bayes_flags : "any", str, int or list of str or int, default="any"
        Which ``bayes_in`` bits mean cloud. ``"any"`` flags a pixel as cloud
        when any bit is set, the convention of STFC's cloud benchmark
        (``bayes > 0``). A flag name (or a list of names) is looked up in the
        variable's ``flag_meanings``/``flag_masks`` attributes, or in
        :data:`BAYES_FLAGS` (``single_low`` 1, ``single_moderate`` 2,
        ``dual_low`` 4, ``dual_moderate`` 8) when the file has none; an int
        is used as a bit mask.

    Returns
    -------
    scene : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (1, 9, H, W), dtype float32
            S1-S6 reflectance and S7-S9 brightness temperature (K); NaN
            where missing.
        target : ndarray of shape (1, H, W), dtype uint8
            The Bayesian cloud mask: 1 cloud, 0 clear.
        valid : ndarray of shape (1, H, W), dtype bool
            False where any channel of ``data`` is NaN or the cloud flags
            are a fill value.
        channel_names : list of str
            ``["S1", ..., "S9"]``.
        wavelengths : ndarray of shape (9,)
            Central wavelengths of the channels in micrometres.
        target_names : list of str
            ``["clear", "cloud"]``.
        filenames : list of str
            The folder read.
        DESCR : str
            A description of the loaders.

    Raises
    ------
    FileNotFoundError
        If the folder lacks some of the files read; the message names them
        and the folder.
    ValueError
        If the path is not a folder holding any SLSTR product file, a file
        lacks a variable (the message names file and variable), the grids
        disagree in shape, or ``bayes_flags`` names an unknown flag.
    ImportError
        If h5py is not installed.

    See Also
    --------
    load_slstr_hdf5 : One scene of STFC's HDF5 benchmark files.
    load_slstr_scenes : Several scenes, stacked.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import h5py, numpy as np
    >>> from sciml_estimators.datasets import load_slstr_scene
    >>> def write(folder, file, **variables):
    ...     with h5py.File(folder / file, "w") as f:
    ...         f.update(variables)
    >>> x, y = np.meshgrid([0.0, 1000.0], [0.0, 1000.0])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp) / "S3A_SL_1_RBT.SEN3"
    ...     p.mkdir()
    ...     for k in range(1, 7):  # pi * 100 / (1000 pi cos 60) = 0.2
    ...         write(p, f"S{k}_radiance_an.nc", **{f"S{k}_radiance_an": np.full((4, 4), 100.0)})
    ...         write(p, f"S{k}_quality_an.nc",
    ...               **{f"S{k}_solar_irradiance_an": np.full(3, 1000 * np.pi)})
    ...     for k in (7, 8, 9):
    ...         write(p, f"S{k}_BT_in.nc", **{f"S{k}_BT_in": np.full((2, 2), 290.0)})
    ...     write(p, "geometry_tn.nc", solar_zenith_tn=np.full((2, 2), 60.0))
    ...     write(p, "cartesian_tx.nc", x_tx=x, y_tx=y)
    ...     write(p, "cartesian_in.nc", x_in=x, y_in=y)
    ...     write(p, "flags_in.nc", bayes_in=np.array([[0, 2], [1, 0]], dtype=np.uint8))
    ...     scene = load_slstr_scene(p)
    >>> scene.data.shape, scene.data[0, :, 0, 0].astype(float).round(3).tolist()
    ((1, 9, 2, 2), [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 290.0, 290.0, 290.0])
    >>> scene.target[0].tolist()
    [[0, 1], [1, 0]]
    """
    folder = Path(path)
    expected = ", ".join(_PRODUCT_FILES)
    if not folder.is_dir():
        raise ValueError(
            f"{folder}: not a folder; expected an SLSTR L1B product folder (*.SEN3) holding "
            f"{expected}. For STFC's HDF5 scene files use load_slstr_hdf5."
        )
    missing = [name for name in _PRODUCT_FILES if not (folder / name).is_file()]
    if len(missing) == len(_PRODUCT_FILES):
        raise ValueError(
            f"{folder}: not an SLSTR L1B product folder: none of the expected files found "
            f"({expected})."
        )
    if missing:
        raise FileNotFoundError(f"{folder}: missing {', '.join(missing)} in the product folder.")

    bts = []
    for name, variable in _BT:
        values, _ = _read(folder / name, variable)
        if bts:
            _check_shape(values, bts[0].shape, folder / name, variable)
        elif values.ndim != 2:
            raise ValueError(f"{folder / name}: {variable} must be 2-D; got {values.shape}.")
        bts.append(values)
    height, width = bts[0].shape
    mu = np.cos(np.deg2rad(_solar_zenith(folder, (height, width))))
    mu[~(mu > 0)] = np.nan  # night (SZA >= 90) or no geolocation: no reflectance

    refs = []
    for (name, variable), (qname, qvariable) in zip(_RADIANCE, _IRRADIANCE):
        radiance, _ = _read(folder / name, variable)
        _check_shape(radiance, (2 * height, 2 * width), folder / name, variable)
        irradiance, _ = _read(folder / qname, qvariable)
        irradiance = irradiance[np.isfinite(irradiance)]
        if irradiance.size == 0:
            raise ValueError(f"{folder / qname}: {qvariable} has no finite value.")
        blocks = radiance.reshape(height, 2, width, 2).mean(axis=(1, 3))
        refs.append(np.pi * blocks / (irradiance.mean() * mu))

    flags, attrs = _read(folder / "flags_in.nc", "bayes_in", raw=True)
    _check_shape(flags, (height, width), folder / "flags_in.nc", "bayes_in")
    if not np.issubdtype(flags.dtype, np.integer):
        raise ValueError(f"{folder / 'flags_in.nc'}: bayes_in is {flags.dtype}, not a bit field.")
    bits = _bayes_bits(bayes_flags, attrs, folder / "flags_in.nc")
    target = flags != 0 if bits is None else (flags & bits) != 0
    fill = _attr(attrs, "_FillValue")
    flagged = None if fill is None else flags == fill
    return _scene(np.stack(refs + bts), target, folder, size, __doc__, flagged)


@validate_params(
    {"path": [str, os.PathLike], "size": [Number(Integral, 1, None, closed="left"), None]},
    prefer_skip_nested_validation=True,
)
def load_slstr_hdf5(path, *, size=None):
    """Load one scene of STFC's SLSTR cloud benchmark: an HDF5 file with refs, bts and bayes.

    The file holds the datasets ``refs`` (H, W, 6), S1-S6 reflectance,
    ``bts`` (H, W, 3), S7-S9 brightness temperature in K, and ``bayes``
    (H, W, 1) or (H, W), the Bayesian cloud flags; cloud is ``bayes > 0``.
    ``scale_factor``, ``add_offset`` and ``_FillValue`` attributes are
    applied when present. Non-finite values are kept as NaN and marked in
    ``valid``; they are not an error. A pixel whose ``bayes`` is missing (NaN,
    its ``_FillValue``, infinite or negative: no flag word) has no label:
    ``target`` 0 and ``valid`` False, never "clear" and valid.

    Parameters
    ----------
    path : str or path-like
        The HDF5 file.
    size : int, default=None
        If given, subsample the scene to ``size`` x ``size`` pixels by taking
        evenly spaced rows and columns (the nearest ones).

    Returns
    -------
    scene : :class:`~sklearn.utils.Bunch`
        The attributes of :func:`load_slstr_scene`: ``data`` (1, 9, H, W)
        float32 (refs then bts, channels first), ``target`` (1, H, W) uint8,
        ``valid`` (1, H, W) bool (False where any channel is NaN or
        ``bayes`` is missing),
        ``channel_names``, ``wavelengths``, ``target_names``, ``filenames`` and ``DESCR``.

    Raises
    ------
    ValueError
        If a dataset is missing or has the wrong shape (the message names
        file, dataset, the shape found and the shape expected).
    ImportError
        If h5py is not installed.

    See Also
    --------
    load_slstr_scene : One SLSTR L1B product folder.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import h5py, numpy as np
    >>> from sciml_estimators.datasets import load_slstr_hdf5
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "S3A_scene.hdf"
    ...     with h5py.File(path, "w") as f:
    ...         f["refs"] = np.full((4, 5, 6), 0.3)
    ...         f["bts"] = np.full((4, 5, 3), 280.0)
    ...         f["bayes"] = np.ones((4, 5, 1), dtype=np.uint8)
    ...     scene = load_slstr_hdf5(path, size=3)
    >>> scene.data.shape, int(scene.target.sum())
    ((1, 9, 3, 3), 9)
    >>> scene.data[0, :, 0, 0].astype(float).round(2).tolist()
    [0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 280.0, 280.0, 280.0]
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file.")
    arrays = {}
    for name, channels in [("refs", 6), ("bts", 3), ("bayes", 1)]:
        values, _ = _read(path, name)
        if name == "bayes" and values.ndim == 2:
            values = values[..., None]
        if arrays:
            height, width = arrays["refs"].shape[1:]
            expected = (height, width, channels)
            ok = values.shape == expected
        else:
            expected = f"(H, W, {channels})"
            ok = values.ndim == 3 and values.shape[-1] == channels
        if not ok:
            raise ValueError(
                f"{path}: dataset {name!r} has shape {values.shape}; expected {expected}."
            )
        arrays[name] = np.moveaxis(values, -1, 0)
    data = np.concatenate([arrays["refs"], arrays["bts"]])
    bayes = arrays["bayes"][0]
    missing = ~(np.isfinite(bayes) & (bayes >= 0))  # NaN (fill), inf, negative: no flags
    return _scene(data, bayes > 0, path, size, __doc__, flagged=missing)


@validate_params(
    {
        "paths": [list, tuple],
        "size": [Number(Integral, 1, None, closed="left"), None],
        "bayes_flags": [str, Number(Integral, 1, None, closed="left"), list, tuple],
    },
    prefer_skip_nested_validation=True,
)
def load_slstr_scenes(paths, *, size=None, bayes_flags="any"):
    """Load several SLSTR scenes (product folders and/or STFC HDF5 files), stacked.

    Each path is read by :func:`load_slstr_scene` if it is a folder and by
    :func:`load_slstr_hdf5` if it is a ``.h5``, ``.hdf5`` or ``.hdf`` file.
    All scenes must have the same shape after ``size``.

    Parameters
    ----------
    paths : list of str or path-like
        The scenes, in the order they are stacked.
    size : int, default=None
        If given, subsample every scene to ``size`` x ``size`` pixels by
        taking evenly spaced rows and columns (the paper used 250x250).
    bayes_flags : "any", str, int or list of str or int, default="any"
        Which ``bayes_in`` bits mean cloud in product folders; see
        :func:`load_slstr_scene`. HDF5 files always use ``bayes > 0``.

    Returns
    -------
    scenes : :class:`~sklearn.utils.Bunch`
        The attributes of :func:`load_slstr_scene` with n_scenes =
        ``len(paths)`` along axis 0, and ``filenames`` listing every path.

    Raises
    ------
    ValueError
        If ``paths`` is empty, a path is neither a folder nor an HDF5 file,
        or two scenes differ in shape (the message names both files).
    FileNotFoundError
        If a path does not exist.

    See Also
    --------
    load_slstr_scene : One SLSTR L1B product folder.
    load_slstr_hdf5 : One scene of STFC's HDF5 benchmark files.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import h5py, numpy as np
    >>> from sciml_estimators.datasets import load_slstr_scenes
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = [pathlib.Path(tmp) / f"scene{i}.h5" for i in range(2)]
    ...     for i, path in enumerate(paths):
    ...         with h5py.File(path, "w") as f:
    ...             f["refs"] = np.full((6, 8, 6), 0.1 * i)
    ...             f["bts"] = np.full((6, 8, 3), 290.0)
    ...             f["bayes"] = np.full((6, 8, 1), i, dtype=np.uint8)
    ...     scenes = load_slstr_scenes(paths, size=4)
    >>> scenes.data.shape, scenes.target.shape, scenes.target.mean(axis=(1, 2)).tolist()
    ((2, 9, 4, 4), (2, 4, 4), [0.0, 1.0])
    """
    if len(paths) == 0:
        raise ValueError("paths is empty; give at least one product folder or HDF5 file.")
    scenes = []
    for path in map(Path, paths):
        if path.is_dir():
            scene = load_slstr_scene(path, size=size, bayes_flags=bayes_flags)
        elif not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder.")
        elif path.suffix.lower() in HDF5_EXTENSIONS:
            scene = load_slstr_hdf5(path, size=size)
        else:
            raise ValueError(
                f"{path}: neither an SLSTR product folder (*.SEN3) nor an HDF5 file "
                f"({', '.join(HDF5_EXTENSIONS)})."
            )
        if scenes and scene.data.shape != scenes[0].data.shape:
            raise ValueError(
                f"{path}: scene shape {scene.data.shape[2:]} differs from "
                f"{scenes[0].filenames[0]}: {scenes[0].data.shape[2:]}; pass size= to "
                "subsample every scene to the same size."
            )
        scenes.append(scene)
    return Bunch(
        data=np.concatenate([s.data for s in scenes]),
        target=np.concatenate([s.target for s in scenes]),
        valid=np.concatenate([s.valid for s in scenes]),
        channel_names=list(CHANNEL_NAMES),
        wavelengths=WAVELENGTHS_UM.copy(),
        target_names=list(TARGET_NAMES),
        filenames=[s.filenames[0] for s in scenes],
        DESCR=__doc__,
    )
