"""FLImP images as TIFF: ImageJ stacks written with their pixel size, microscope files read.

:func:`save_flimp_tiff` writes an ImageJ-compatible float32 stack (axes
``TYX``, or ``YX`` for one image) with the pixel size as the X and Y
resolution in pixels per um and ImageJ's ``unit`` set to ``um``.
:func:`load_flimp_tiff` reads those, and what microscopes write: multi-page
stacks, uint16, ImageJ hyperstacks (singleton axes dropped; a channel axis
must be chosen with ``channel=``). The pixel size comes from ImageJ's unit
with the resolution tags, or from the TIFF resolution unit (inch,
centimetre), else from the argument.
"""

import os

import numpy as np
import tifffile
from sklearn.utils import Bunch

#: um per resolution unit of the TIFF tag ResolutionUnit (2 inch, 3 centimetre).
_UM_PER_UNIT = {2: 25400.0, 3: 10000.0}
#: ImageJ unit names of a micrometre (ImageJ writes the escape "\\u00B5m" itself).
_MICROMETRE = {"um", "\u00b5m", "\u03bcm", "\\u00b5m", "micron", "microns", "micrometer",
               "micrometre"}
#: Axes that number frames (time, depth, plain image sequences in tifffile's names).
_FRAME_AXES = set("TZIQ")


def save_flimp_tiff(path, images, *, pixel_size, overwrite=False):
    """Write images as an ImageJ-compatible TIFF stack with their pixel size.

    Parameters
    ----------
    path : str or path-like
        The file to write (``.tif``).
    images : array-like of shape (H, W) or (n_frames, H, W)
        One image or a stack of frames, written as float32.
    pixel_size : float
        Pixel size in um, stored as the X and Y resolution (pixels per um)
        with ImageJ's unit ``um``.
    overwrite : bool, default=False
        Replace an existing file; otherwise an existing ``path`` is an error.

    Returns
    -------
    path : str
        The path written.

    Raises
    ------
    ValueError
        If ``images`` is not 2-D or 3-D, ``pixel_size`` is not a positive
        number, or ``path`` exists and ``overwrite`` is False.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sciml_estimators.datasets import load_flimp_tiff, save_flimp_tiff
    >>> path = os.path.join(tempfile.mkdtemp(), "field.tif")
    >>> _ = save_flimp_tiff(path, np.ones((3, 8, 8)), pixel_size=0.16)
    >>> loaded = load_flimp_tiff(path)
    >>> loaded.data.shape, round(loaded.pixel_size, 6)
    ((3, 8, 8), 0.16)
    """
    path = os.fspath(path)
    images = np.asarray(images, dtype=np.float32)
    if images.ndim not in (2, 3):
        raise ValueError(f"save_flimp_tiff writes an image (H, W) or a stack (n_frames, H, W); "
                         f"got an array of shape {images.shape} for {path!r}.")
    if isinstance(pixel_size, bool) or not (np.isscalar(pixel_size) and 0 < pixel_size < np.inf):
        raise ValueError(f"pixel_size must be a positive number of um; got {pixel_size!r} "
                         f"for {path!r}.")
    if os.path.exists(path) and not overwrite:
        raise ValueError(f"{path!r} exists; pass overwrite=True to replace it.")
    resolution = 1.0 / float(pixel_size)
    tifffile.imwrite(path, images, imagej=True, resolution=(resolution, resolution),
                     metadata={"axes": "TYX" if images.ndim == 3 else "YX", "unit": "um"})
    return path


def _pixel_size_from_file(page, imagej):
    """Pixel size in um from the resolution tags, or None where their unit is unknown."""
    tag = page.tags.get("XResolution")
    if tag is None:
        return None
    numerator, denominator = tag.value
    if numerator == 0 or denominator == 0:
        return None
    per_unit = numerator / denominator
    unit = str((imagej or {}).get("unit", "")).strip().lower()
    if unit in _MICROMETRE:
        return 1.0 / per_unit
    if unit == "nm":
        return 1e-3 / per_unit
    if not unit:
        resolution_unit = page.tags.get("ResolutionUnit")
        scale = _UM_PER_UNIT.get(int(resolution_unit.value) if resolution_unit else 2)
        if scale is not None and (numerator, denominator) != (1, 1):
            return scale / per_unit
    return None


def _frames(data, axes, channel, path):
    """``data`` as (H, W) or (n_frames, H, W): singletons dropped, a channel chosen."""
    keep = [k for k, (axis, size) in enumerate(zip(axes, data.shape))
            if size > 1 or axis in "YX"]
    data = data.reshape([data.shape[k] for k in keep])
    axes = "".join(axes[k] for k in keep)
    if "C" in axes:
        if channel is None:
            raise ValueError(f"{path!r} has {data.shape[axes.index('C')]} channels (axes "
                             f"{axes!r}); pass channel= to choose one.")
        if not 0 <= channel < data.shape[axes.index("C")]:
            raise ValueError(f"channel={channel} is not one of the {data.shape[axes.index('C')]} "
                             f"channels of {path!r}.")
        data = np.take(data, channel, axis=axes.index("C"))
        axes = axes.replace("C", "")
    unknown = set(axes) - _FRAME_AXES - set("YX")
    if unknown or axes[-2:] != "YX" or len(axes) > 3:
        raise ValueError(f"{path!r} has axes {axes!r} (shape {data.shape}); expected images "
                         f"(Y, X) or one axis of frames (T, Z or pages) before them.")
    return data


def load_flimp_tiff(path, *, pixel_size=None, channel=None):
    """Read a TIFF image or stack, with its pixel size.

    Parameters
    ----------
    path : str or path-like
        A TIFF file: one image, a multi-page stack or an ImageJ hyperstack,
        of any integer or float type; its first series (tifffile's) is read.
    pixel_size : float or None, default=None
        Pixel size in um, used when the file does not give one.
    channel : int or None, default=None
        Which channel to read from a file with several.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (H, W) or (n_frames, H, W), float32
            The image or the frames, singleton axes dropped.
        pixel_size : float
            Pixel size in um: from the file's ImageJ unit or TIFF resolution
            unit with its resolution tags when it has them, else ``pixel_size``.
        axes : str
            The file's axes as tifffile names them (before dropping singletons).
        filename : str
            The path read.

    Raises
    ------
    ValueError
        If the file has several channels and no ``channel`` is given, axes
        other than frames and (Y, X), no pixel size and none is given, or is
        not a TIFF file; every message names the file.
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np, tifffile
    >>> from sciml_estimators.datasets import load_flimp_tiff
    >>> path = os.path.join(tempfile.mkdtemp(), "frames.tif")
    >>> tifffile.imwrite(path, np.zeros((2, 8, 8), dtype=np.uint16))
    >>> loaded = load_flimp_tiff(path, pixel_size=0.16)
    >>> loaded.data.shape, loaded.data.dtype, loaded.pixel_size
    ((2, 8, 8), dtype('float32'), 0.16)
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no TIFF file at {path!r}.")
    try:
        with tifffile.TiffFile(path) as tif:
            series = tif.series[0]
            data, axes = series.asarray(), series.axes
            from_file = _pixel_size_from_file(tif.pages[0], tif.imagej_metadata)
    except tifffile.TiffFileError as error:
        raise ValueError(f"{path!r} is not a TIFF file tifffile can read: {error}.") from None
    if from_file is None:
        if pixel_size is None:
            raise ValueError(f"{path!r} gives no pixel size (no ImageJ unit or TIFF resolution "
                             "unit with its resolution); pass pixel_size= in um.")
        if isinstance(pixel_size, bool) or not 0 < pixel_size < np.inf:
            raise ValueError(f"pixel_size must be a positive number of um; got {pixel_size!r} "
                             f"for {path!r}.")
        from_file = float(pixel_size)
    if data.dtype.kind not in "biuf":
        raise ValueError(f"{path!r} holds {data.dtype} pixels; expected integers or floats.")
    data = _frames(data, axes, channel, path).astype(np.float32, copy=False)
    return Bunch(data=data, pixel_size=float(from_file), axes=axes, filename=path)
