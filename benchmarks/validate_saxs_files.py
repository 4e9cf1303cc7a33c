"""Try load_saxs_profile on every file of a folder and compare with sasdata's readers.

Usage::

    python benchmarks/validate_saxs_files.py FOLDER [FOLDER ...] [--out docs/saxs-real-files.md]

Each file (recursively) is loaded as given; a file refused only for an
unstated q unit is loaded again with ``q_unit='1/A'``, the unit sasdata's
ASCII reader assumes. Files with several 1-D profiles load each of them
(``list_saxs_profiles``). When sasdata is importable, every loaded profile
is compared with sasdata's reader (``sasdata.dataloader.loader.Loader``; for
``.pdh`` its Anton Paar reader, which knows the 1/nm unit): q after unit
conversion, I, dI, dQ (sasdata ``dx``), dQl (``dxl``), dQw (``dxw``), at a
relative tolerance of 1e-6 (float32 files) after sorting sasdata's points by
q as it does. NIST 6-column SANS files are compared on sasdata's x = meanQ
against ``metadata["mean_q"]``: sasdata takes meanQ as q, this loader the
nominal Q. Intensities in 1/nm are compared x 1e7, as sasdata converts them
to 1/cm. PDH files: sasdata's Anton Paar reader fails on the XML trailer of
the example files, so its ASCII reader's numbers (q as written, 1/nm) are
compared after dividing q by 10. The table goes to ``--out`` (Markdown) and stdout.
"""

import argparse
import logging
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np

from sciml_estimators.datasets import list_saxs_profiles, load_saxs_profile

RTOL = 1e-6
_INTENSITY_TO_PER_CM = {"1/nm": 1e7, "1/m": 1e-2}


def _sasdata_profiles(path):
    """sasdata's 1-D profiles of ``path`` (x in 1/A), or a string saying why there are none."""
    try:
        from sasdata.dataloader.loader import Loader
        from sasdata.dataloader.readers.anton_paar_saxs_reader import Reader as AntonPaar
    except ImportError:
        return "sasdata not importable"
    logging.disable(logging.CRITICAL)
    try:
        if path.suffix.lower() == ".pdh":
            try:
                data = AntonPaar().read(str(path))
            except Exception:  # noqa: BLE001 - its XML trailer parser fails; ASCII fallback
                data = Loader().load(str(path))
            for d in data:  # both leave q as written, in 1/nm
                d.x, d.dx = d.x / 10, None if d.dx is None else d.dx / 10
        else:
            data = Loader().load(str(path))
    except Exception as error:  # noqa: BLE001 - any failure of the reference is reported
        return f"sasdata fails: {type(error).__name__}"
    return [d for d in data if type(d).__name__ == "Data1D"] or "sasdata: no 1-D data"


def _close(ours, theirs):
    if ours is None or theirs is None:
        return ours is None and (theirs is None or not np.any(theirs))
    ours, theirs = np.asarray(ours, float), np.asarray(theirs, float)
    return ours.shape == theirs.shape and np.allclose(ours, theirs, rtol=RTOL, atol=0)


def _merged_masks(profile, reference):
    """The points of ours and of sasdata's that are not a q the loader merged from several rows.

    sasdata keeps every row of a repeated q; the loader merges them into one
    point (``metadata["merged_repeated_q"]``), so those q are left out of the
    comparison on both sides.
    """
    if not profile.metadata.get("merged_repeated_q"):
        return slice(None), slice(None)
    theirs = np.asarray(reference.x, float)
    values, counts = np.unique(theirs, return_counts=True)
    repeated = values[counts > 1]
    return ~np.isin(profile.q, repeated), ~np.isin(theirs, repeated)


def _compare(profile, reference):
    """Which of q, I, dI, dQ, dQl, dQw agree with one sasdata Data1D ('' when all do)."""
    igor_sans = reference.meta_data.get("loader") == "IGOR 1D" and profile.dq is not None
    q_ref = profile.metadata["mean_q"] if igor_sans else profile.q
    # sasdata converts I to 1/cm; this loader keeps the file's unit.
    scale = _INTENSITY_TO_PER_CM.get(profile.metadata.get("intensity_unit"), 1.0)
    pairs = {"q": (q_ref, reference.x), "I": (profile.intensity * scale, reference.y),
             "dI": (None if profile.uncertainty is None else profile.uncertainty * scale,
                    reference.dy), "dQ": (profile.dq, reference.dx),
             "dQl": (profile.slit_length, reference.dxl),
             "dQw": (profile.slit_width, reference.dxw)}
    ours, theirs = _merged_masks(profile, reference)
    pairs = {name: (None if a is None else np.asarray(a)[ours],
                    None if b is None or np.ndim(b) == 0 else np.asarray(b)[theirs])
             for name, (a, b) in pairs.items()}
    return ", ".join(name for name, (a, b) in pairs.items() if not _close(a, b))


def _load(path, **choice):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return load_saxs_profile(path, **choice), ""
        except ValueError as error:
            if "q unit could not be detected" not in str(error):
                raise
        return load_saxs_profile(path, q_unit="1/A", **choice), "q_unit='1/A'"


def _rows(path):
    """Table rows (file, layout, outcome, reason or note, sasdata agreement) for one file."""
    name = str(path)
    try:
        listing = list_saxs_profiles(path)
    except (ValueError, OSError) as error:
        return [(name, "-", "refused", str(error).replace(str(path) + ": ", ""), "")]
    reference = _sasdata_profiles(path)
    rows, one_d = [], [row for row in listing if row["ndim"] == 1]
    for row in listing if not one_d else one_d:
        choice = {k: row[k] for k in ("entry", "sasdata") if len(listing) > 1}
        label = f" [{row['entry']}/{row['sasdata']}]" if choice else ""
        try:
            profile, how = _load(path, **choice)
        except ValueError as error:
            rows.append((name + label, "-", "refused",
                         str(error).replace(str(path) + ": ", ""), ""))
            continue
        if isinstance(reference, str):
            agreement = reference
        else:
            k = one_d.index(row) if one_d else 0
            agreement = _compare(profile, reference[k]) if k < len(reference) else "no match"
            agreement = "agrees" if not agreement else f"differs: {agreement}"
        kept = [k for k in ("uncertainty", "dq", "slit_length", "slit_width")
                if profile[k] is not None]
        layout = f"{profile.format}, {profile.q.size} pts, {'+'.join(kept) or 'q,I'}"
        rows.append((name + label, layout, "loaded" + (f" with {how}" if how else ""),
                     f"q in {profile.q_unit_in_file} ({profile.metadata['q_unit_source']})",
                     agreement))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    rows = []
    for folder in args.folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rows += [(str(Path(r[0]).relative_to(folder.parent)) if r[0].startswith(str(folder))
                      else r[0], *r[1:]) for r in _rows(path)]
    try:
        import sasdata
        version = sasdata.__version__
    except ImportError:
        version = "not installed"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=Path(__file__).parent).stdout.strip() or "?"
    lines = [
        f"Command: `python benchmarks/validate_saxs_files.py "
        f"{' '.join(str(f) for f in args.folders)}`; sasdata {version}; "
        f"sciml_estimators at {commit}.",
        "",
        "| file | layout | outcome | reason / q unit | sasdata |",
        "|---|---|---|---|---|",
        *(f"| {' | '.join(c.replace('|', '/') for c in row)} |" for row in rows),
    ]
    outcomes = [row[2] for row in rows]
    totals = {"loaded as given": outcomes.count("loaded"),
              "loaded with q_unit='1/A'": sum(o.startswith("loaded with") for o in outcomes),
              "refused": outcomes.count("refused"),
              "agree with sasdata": sum(row[4] == "agrees" for row in rows)}
    lines += ["", "Totals: " + "; ".join(f"{k}: {v}" for k, v in totals.items())
              + f" (of {len(rows)} rows)."]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
