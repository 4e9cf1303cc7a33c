"""Loading measured 1-D SAXS profiles: which reader reads a file, and the Bunch it returns.

Every loader returns q in 1/Angstrom and refuses to guess: a q unit that is
neither stated by the q column of the file, nor fixed by its format, nor
passed as ``q_unit`` is an error, and so is an entry without data points.
Errors name the file and the line, index or field at fault. One module per
format reads the file (``_saxs_ascii``, ``_saxs_rkh``, ``_saxs_abs``,
``_saxs_pdh``, ``_saxs_cansas_xml``, ``_saxs_nxcansas``).
"""

import os
from numbers import Integral
from pathlib import Path

from sklearn.utils import Bunch

from .._framework import Interval, StrOptions, validate_params
from ._saxs_abs import is_nist_abs, read_abs
from ._saxs_ascii import read_ascii
from ._saxs_cansas_xml import list_cansas_xml, read_cansas_xml
from ._saxs_nxcansas import list_nxcansas, read_nxcansas
from ._saxs_pdh import is_pdh, read_pdh
from ._saxs_profiles import ProfileEntry, check_profile, read_lines
from ._saxs_rkh import is_rkh, read_rkh
from ._saxs_rows import drop_beam_centre, merge_repeated_q
from ._saxs_units import TO_INV_ANGSTROM, resolve_unit

#: File extensions (any case) and the format each implies; ascii files with an RKH header are rkh.
EXTENSIONS = {
    ".dat": "ascii",
    ".txt": "ascii",
    ".csv": "ascii",
    ".abs": "nist_abs",
    ".cor": "nist_abs",
    ".pdh": "pdh",
    ".xml": "cansas_xml",
    ".h5": "nxcansas",
    ".hdf5": "nxcansas",
    ".hdf": "nxcansas",
    ".nxs": "nxcansas",
}
FORMATS = ("ascii", "rkh", "nist_abs", "pdh", "cansas_xml", "nxcansas")
_SINGLE = {"ascii": read_ascii, "rkh": read_rkh, "nist_abs": read_abs, "pdh": read_pdh}
_MULTI = {"cansas_xml": (read_cansas_xml, list_cansas_xml),
          "nxcansas": (read_nxcansas, list_nxcansas)}
_RESOLUTION = ("dq", "slit_length", "slit_width")
_CHOICE = [str, Interval(Integral, 0, None, closed="left"), None]


def _format_of(path, format):
    if format is not None:
        return format
    format = EXTENSIONS.get(path.suffix.lower())
    if format is None:
        known = ", ".join(f"{ext} ({fmt})" for ext, fmt in EXTENSIONS.items())
        raise ValueError(
            f"{path}: unknown extension {path.suffix!r}; known: {known}. "
            f"Pass format= one of {list(FORMATS)}."
        )
    if format == "ascii":
        head = read_lines(path)[:40]
        return ("rkh" if is_rkh(head[:6]) else "pdh" if is_pdh(head[:6])
                else "nist_abs" if is_nist_abs(head) else "ascii")
    return format


def _read(path, format, entry, sasdata):
    if format in _MULTI:
        return _MULTI[format][0](path, entry, sasdata)
    if entry is not None or sasdata is not None:
        raise ValueError(
            f"{path}: format {format!r} holds one profile; entry= and sasdata= choose among "
            "the profiles of canSAS XML and NXcanSAS files."
        )
    return _SINGLE[format](path)


def _unit(raw, q_unit, path):
    """The q unit and its source: the file, the ``q_unit`` argument, or the format."""
    if raw.unit_found is None and raw.fixed_unit is not None:
        return (q_unit, "argument") if q_unit else (raw.fixed_unit, "format")
    return resolve_unit(raw.unit_found, q_unit, path, raw.unit_where)


@validate_params(
    {
        "path": [str, os.PathLike],
        "format": [StrOptions(set(FORMATS)), None],
        "q_unit": [StrOptions(set(TO_INV_ANGSTROM)), None],
        "entry": _CHOICE,
        "sasdata": _CHOICE,
    },
    prefer_skip_nested_validation=True,
)
def load_saxs_profile(path, *, format=None, q_unit=None, entry=None, sasdata=None):
    """Load a measured 1-D SAXS profile, with q and its resolution converted to 1/Angstrom.

    Reads six formats:

    - ``ascii``: columns ``q, I[, dI[, dQ]]`` (whitespace or comma
      separated, ``#`` comments and text header lines allowed; a line
      before the data whose fields are mostly numbers, or half of them with
      a number first, is a malformed data row and an error, not a header).
      The fourth column is the pinhole resolution dQ (SasView, GRASP).
    - ``rkh``: ISIS COLETTE/RKH 1-D text (``Q I dI [dQ]`` after a five-line
      header), recognised from its header in ``.txt``/``.dat`` files.
    - ``nist_abs``: NIST 6-column reduced SANS/USANS (``Q I dI sigmaQ meanQ
      shadow``); a negative sigmaQ is a USANS slit length.
    - ``pdh``: Anton Paar PDH (SAXSess, SAXSpace), also recognised from its
      header in ``.txt``/``.dat``/``.csv`` files.
    - ``cansas_xml``: canSAS 1-D XML (``urn:cansas1d:1.0`` or ``1.1``).
    - ``nxcansas``: NXcanSAS HDF5, including files whose groups carry
      ``NX_class='SASentry'``/``'SASdata'`` (needs h5py).

    The q unit is read only from what belongs to the q column: an ASCII
    column header that starts with q (``q (1/nm)``, ``Q [A^-1]``,
    ``q(Å⁻¹)``; not "sample position A-1" or "I (1/a.u.)"), the ``unit``
    attribute of canSAS ``Q``, the ``units`` attribute of NXcanSAS ``Q`` or
    the PDH trailer's X column. Formats that fix the unit use it: NIST
    6-column files 1/A, RKH 1/A (ISIS convention), PDH 1/nm (sasdata's
    anton_paar_saxs_reader). Otherwise it is never assumed.

    A canSAS XML or NXcanSAS file can hold several SASentry elements, each
    with several SASdata blocks: ``entry`` and ``sasdata`` choose one, and
    :func:`list_saxs_profiles` lists them. With neither given, the first 1-D
    profile is loaded, with a
    :class:`~sciml_estimators.exceptions.SciMLEstimatorsWarning` when the
    file holds other 1-D profiles.

    Two kinds of rows are not one measurement of I(q) each, and are fixed
    with a :class:`~sciml_estimators.exceptions.SciMLEstimatorsWarning` that
    names them: rows at q = 0 exactly (the beam centre; their intensity may
    be undefined, such as MSVC's ``-1.#IND``) are dropped, as sasdata drops
    them; a q given on consecutive rows (two configurations stitched) is
    merged into one point, the inverse-variance weighted mean intensity with
    the weighted rms of the resolution widths (sasdata keeps both rows,
    which no strictly increasing q grid allows). A negative q is an error.

    Parameters
    ----------
    path : str or path-like
        The file to read.
    format : {"ascii", "rkh", "nist_abs", "pdh", "cansas_xml", "nxcansas"}, default=None
        The file format. ``None`` infers it from the extension (any case):
        ``.dat``, ``.txt``, ``.csv`` (ascii, or rkh or pdh when the file
        has such a header, nist_abs with a NIST header), ``.abs``,
        ``.cor`` (nist_abs), ``.pdh`` (pdh),
        ``.xml`` (cansas_xml), ``.h5``, ``.hdf5``, ``.hdf``, ``.nxs``
        (nxcansas).
    q_unit : {"1/A", "1/nm"}, default=None
        The unit of q in the file, for files that do not state it. A file
        that states a different unit is an error; it replaces a unit the
        format only assumes (RKH, NIST, PDH without a trailer).
    entry : str or int, default=None
        The SASentry to read, by name (XML ``name`` attribute, HDF5 group
        name) or 0-based index; canSAS XML and NXcanSAS only.
    sasdata : str or int, default=None
        The SASdata of that entry, by name or 0-based index.

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
        dq : ndarray of shape (n_q,) or None
            The pinhole resolution, one standard deviation of q, in
            1/Angstrom; None when the file has none.
        slit_length : ndarray of shape (n_q,) or None
            The slit-smearing length (canSAS dQl, NIST USANS dQv) in
            1/Angstrom; None when the file has none.
        slit_width : ndarray of shape (n_q,) or None
            The slit-smearing width (canSAS dQw) in 1/Angstrom; None when
            the file has none.
        q_unit_in_file : {"1/A", "1/nm"}
            The unit q had in the file.
        metadata : dict
            What the file says besides the data (title, run, sample, header
            lines, ...), ``q_unit_source`` (``"file"``, ``"argument"`` or
            ``"format"``), ``entry``, ``sasdata``: the profile read (the
            names or 0-based indices to pass back; None for single-profile
            formats), ``dropped_q_zero`` (the locations of the rows dropped
            at q = 0) and ``merged_repeated_q`` (one list of row locations
            per point merged from a repeated q); both empty when none.
        format : str
            The format read.
        path : str
            The file read.

    Raises
    ------
    ValueError
        If the file cannot be parsed, has no data points, no detectable q
        unit, a wrong number of columns, negative or decreasing q,
        non-finite intensities or negative resolutions, if ``entry`` or
        ``sasdata`` select nothing or 2-D data; the message names the file
        and the line, index or field.
    ImportError
        If an NXcanSAS file is read without h5py installed.

    Warns
    -----
    SciMLEstimatorsWarning
        If rows at q = 0 were dropped or rows of a repeated q merged, or if
        the file holds other 1-D profiles than the one loaded.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from sciml_estimators.datasets import load_saxs_profile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "sample.dat"
    ...     _ = path.write_text("# q (1/nm)  I (1/cm)  dI  dQ\\n"
    ...                         "0.1 10.0 0.5 0.02\\n0.2 8.0 0.4 0.03\\n")
    ...     profile = load_saxs_profile(path)
    >>> profile.q, profile.dq, profile.metadata["intensity_unit"]
    (array([0.01, 0.02]), array([0.002, 0.003]), '1/cm')
    """
    path = Path(path)
    format = _format_of(path, format)
    raw = drop_beam_centre(_read(path, format, entry, sasdata), path)
    check_profile(raw, path)
    raw = merge_repeated_q(raw, path)
    unit, source = _unit(raw, q_unit, path)
    factor = TO_INV_ANGSTROM[unit]
    resolution = {name: None if getattr(raw, name) is None else getattr(raw, name) * factor
                  for name in _RESOLUTION}
    metadata = {"entry": None, "sasdata": None, **raw.metadata, "q_unit_source": source}
    return Bunch(
        q=raw.q * factor,
        intensity=raw.intensity,
        uncertainty=raw.uncertainty,
        **resolution,
        q_unit_in_file=unit,
        metadata=metadata,
        format=format,
        path=str(path),
    )


@validate_params(
    {"path": [str, os.PathLike], "format": [StrOptions(set(FORMATS)), None]},
    prefer_skip_nested_validation=True,
)
def list_saxs_profiles(path, *, format=None):
    """List the profiles a SAXS file holds, to choose one for :func:`load_saxs_profile`.

    Parameters
    ----------
    path : str or path-like
        The file to read.
    format : {"ascii", "rkh", "nist_abs", "pdh", "cansas_xml", "nxcansas"}, default=None
        The file format; ``None`` infers it as :func:`load_saxs_profile` does.

    Returns
    -------
    profiles : list of dict
        One dict per profile, in file order, with keys ``entry`` and
        ``sasdata`` (the names, or 0-based indices where a canSAS XML element
        has no ``name``, to pass to :func:`load_saxs_profile`; None for
        single-profile formats), ``title`` (str or None), ``n_points`` (the
        number of intensities) and ``ndim`` (1 for I(q), 2 for I(qx, qy),
        which :func:`load_saxs_profile` refuses).

    Raises
    ------
    ValueError
        If the file cannot be parsed or holds no profile.
    ImportError
        If an NXcanSAS file is listed without h5py installed.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from sciml_estimators.datasets import list_saxs_profiles
    >>> point = '<Idata><Q unit="1/A">{}</Q><I>1.0</I></Idata>'
    >>> entries = "".join(
    ...     f'<SASentry name="{name}"><Title>{name}</Title><SASdata>'
    ...     + "".join(point.format(q) for q in qs) + "</SASdata></SASentry>"
    ...     for name, qs in [("pinhole", [0.01, 0.02]), ("slit", [1e-4, 2e-4, 3e-4])])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "two.xml"
    ...     _ = path.write_text(f'<SASroot xmlns="urn:cansas1d:1.1">{entries}</SASroot>')
    ...     for row in list_saxs_profiles(path):
    ...         print(row)
    {'entry': 'pinhole', 'sasdata': 0, 'title': 'pinhole', 'n_points': 2, 'ndim': 1}
    {'entry': 'slit', 'sasdata': 0, 'title': 'slit', 'n_points': 3, 'ndim': 1}
    """
    path = Path(path)
    format = _format_of(path, format)
    if format in _MULTI:
        rows = _MULTI[format][1](path)
    else:
        raw = _SINGLE[format](path)
        rows = [ProfileEntry(None, None, raw.metadata.get("title"), raw.q.size, 1)]
    return [row.as_dict() for row in rows]
