"""SAXSRegressor trained on each real file's own instrument, against the file's Guinier fit.

Usage::

    python benchmarks/saxs_real_rg.py FOLDER [FOLDER ...] [--out docs/saxs-real-rg.md]
        [--n-samples 4000] [--epochs 20]

For every 1-D profile that ``load_saxs_profile`` reads in the folders (as
``validate_saxs_files.py`` loads them: ``q_unit='1/A'`` where the file does
not say) and whose Guinier fit is meaningful (the rule below), it

1. fits Guinier's law (``GuinierRegressor``, unweighted, q Rg <= 1.3, at least
   10 points): Rg +- std and the q Rg range of the window;
2. builds the file's instrument, ``instrument_from_profile(profile)`` (its
   exact q, its pinhole dq or slit per point), and simulates a training set
   on it: ``make_saxs_1d(n, shapes=<the five>, target="guinier_radius",
   polydispersity=0.1, nuisances="measured", noise="poisson",
   instrument=instrument, random_state=0)`` (the nuisances count each
   profile at the instrument's flux over its drawn level, within a decade);
3. trains ``SAXSRegressor(max_epochs=E, random_state=0)`` on it (one torch
   thread) and predicts the file's profile with ``return_std``, with its
   ``out_of_domain_score`` and whether predict warned ``OutOfDomainWarning``.

Files with the same q points and resolution share one training set and model.
The rule for a meaningful Guinier fit: a finite Rg, the first fitted point
at q Rg <= 0.8 (the window starts inside the Guinier region, not on the form
factor's decay) and a statistical error below 10 % of Rg (a 5 % comparison
with a worse reference would be noise). The size ranges of the simulation
(``datasets/_saxs_shapes.py``: sizes up to 500 A, z-average Rg up to about
400 A) do not cover every file; those are reported, with their
out-of-domain score, not left out. Where a file's header states the particle
(SasView's ``... spheres of 100nm diameter``, ``core_shell_sphere`` parameter
lists) its Rg is given too. The Markdown table goes to ``--out`` and stdout.
"""

import argparse
import os
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch

from benchmarks.validate_saxs_files import _load
from sciml_estimators import GuinierRegressor, SAXSRegressor
from sciml_estimators.datasets import (instrument_from_profile, list_saxs_profiles,
                                       make_saxs_1d)
from sciml_estimators.datasets._saxs_shapes import _rg_core_shell_sphere
from sciml_estimators.estimators._guinier_fit import guinier_fits
from sciml_estimators.exceptions import OutOfDomainWarning, SciMLEstimatorsWarning

SHAPES = ("sphere", "cylinder", "ellipsoid", "parallelepiped", "core_shell_sphere")
POLYDISPERSITY = 0.1
MAX_FIRST_Q_RG = 0.8
MAX_RELATIVE_STD = 0.1
TOLERANCE = 0.05
_DIAMETER = re.compile(r"([\d.]+)\s*(nm|micron|um)\s+diameter", re.IGNORECASE)
_TO_ANGSTROM = {"nm": 10.0, "micron": 1e4, "um": 1e4}
_PARAMETER = re.compile(r"^#\s*(\w+)\s*=\s*([-+\d.eE]+)\s*$")


def _profiles(folders):
    """(label, profile) for every 1-D profile that loads, in file order."""
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            try:
                listing = list_saxs_profiles(path)
            except (ValueError, OSError):
                continue
            for row in (row for row in listing if row["ndim"] == 1):
                choice = {k: row[k] for k in ("entry", "sasdata") if len(listing) > 1}
                label = str(path.relative_to(folder.parent)) + (
                    f" [{row['entry']}/{row['sasdata']}]" if choice else "")
                try:
                    profile, _ = _load(path, **choice)
                except ValueError:
                    continue
                yield label, profile


def stated_rg(profile):
    """The Rg (A) of the particle the file's own text states, and where it says so, or None."""
    metadata = profile.metadata
    text = [metadata.get("title") or "", *metadata.get("header", [])]
    if any("model core_shell_sphere" in line for line in text):
        found = {m.group(1): float(m.group(2)) for m in map(_PARAMETER.match, text) if m}
        keys = ("radius", "thickness", "sld_core", "sld_shell", "sld_solvent")
        if all(key in found for key in keys):
            rg = float(_rg_core_shell_sphere(found))
            return rg, "core_shell_sphere " + ", ".join(f"{k} {found[k]:g}" for k in keys)
    for line in text:
        match = _DIAMETER.search(line)
        if match:
            radius = float(match.group(1)) * _TO_ANGSTROM[match.group(2).lower()] / 2
            return np.sqrt(0.6) * radius, f"sphere, {match.group(0)} (R = {radius:g} A)"
    return None


def guinier(profile):
    """Guinier Rg, its std, the q Rg of the window's first and last points and their count."""
    intensity = profile.intensity[None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SciMLEstimatorsWarning)
        rg, rg_std = GuinierRegressor(q=profile.q).fit(intensity).predict(intensity,
                                                                          return_std=True)
    _, _, last = guinier_fits(profile.q, intensity)
    valid = np.flatnonzero(intensity[0, : last[0] + 1] > 0)
    if not np.isfinite(rg[0]):
        return None
    q = profile.q[valid]
    return rg[0], rg_std[0], q[0] * rg[0], q[-1] * rg[0], valid.size


def rule_failure(fit):
    """Why a Guinier fit is not a reference for a 5 % comparison ('' when it is)."""
    if fit is None:
        return "no Guinier range"
    rg, rg_std, first, _, _ = fit
    if first > MAX_FIRST_Q_RG:
        return f"first point at q Rg = {first:.2f} > {MAX_FIRST_Q_RG}"
    if rg_std > MAX_RELATIVE_STD * rg:
        return f"Guinier Rg {rg:.1f} +- {rg_std:.1f} A: error above {MAX_RELATIVE_STD:.0%}"
    return ""


def trained_model(instrument, n_samples, epochs, cache):
    """SAXSRegressor trained on ``make_saxs_1d`` at ``instrument``, with its cost in seconds."""
    key = tuple(None if a is None else a.tobytes() for a in
                (instrument.q, instrument.dq, instrument.slit_length, instrument.slit_width))
    if key not in cache:
        start = time.perf_counter()
        data = make_saxs_1d(n_samples, shapes=SHAPES, target="guinier_radius",
                            polydispersity=POLYDISPERSITY, nuisances="measured", noise="poisson",
                            instrument=instrument, random_state=0)
        simulated = time.perf_counter()
        # At the lowest drawn flux and level a profile can count zero everywhere, which
        # SAXSRegressor (dividing each profile by its mean |I|) refuses: left out, counted.
        counted = np.any(data.data != 0, axis=1)
        torch.set_num_threads(1)  # the numba kernels can reset torch's thread count
        model = SAXSRegressor(max_epochs=epochs, random_state=0).fit(data.data[counted],
                                                                     data.target[counted])
        cache[key] = (model, (data.target.min(), data.target.max()),
                      (simulated - start, time.perf_counter() - simulated),
                      int(np.count_nonzero(~counted)))
    return cache[key]


def evaluate(profile, n_samples, epochs, cache):
    """One table row's numbers for a profile with a meaningful Guinier fit."""
    instrument = instrument_from_profile(profile)
    model, target_range, cost, _ = trained_model(instrument, n_samples, epochs, cache)
    intensity = profile.intensity[None]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OutOfDomainWarning)
        rg, rg_std = model.predict(intensity, return_std=True)
    score = float(model.out_of_domain_score(intensity)[0])
    warned = any(issubclass(w.category, OutOfDomainWarning) for w in caught)
    return {"rg": rg[0], "rg_std": rg_std[0], "score": score, "warned": warned,
            "target_range": target_range, "cost": cost}


def _resolution(profile):
    if profile.dq is not None and np.any(profile.dq > 0):
        return "pinhole dq"
    if profile.slit_length is not None and np.any(profile.slit_length > 0):
        return "slit"
    return "none"


def _machine():
    try:
        lines = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
    except OSError:
        return "unknown CPU"
    return next((line.split(":", 1)[1].strip() for line in lines
                 if line.startswith("Model name")), "unknown CPU")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--n-samples", type=int, default=4000)
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    start, cache, rows, skipped, n_loaded = time.perf_counter(), {}, [], [], 0
    for label, profile in _profiles(args.folders):
        n_loaded += 1
        fit = guinier(profile)
        failure = rule_failure(fit)
        if failure:
            skipped.append((label, failure))
            continue
        result = evaluate(profile, args.n_samples, args.epochs, cache)
        rows.append((label, profile, fit, result, stated_rg(profile)))
        print(f"{label}: Guinier {fit[0]:.1f}, SAXSRegressor {result['rg']:.1f}, "
              f"OOD {result['score']:.3g}", file=sys.stderr, flush=True)
    n_empty = sum(entry[3] for entry in cache.values())
    text = _report(args, rows, skipped, n_loaded, len(cache), n_empty,
                   time.perf_counter() - start)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


def _report(args, rows, skipped, n_loaded, n_models, n_empty, seconds):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=Path(__file__).parent).stdout.strip() or "?"
    lines = [
        f"Command: `OMP_NUM_THREADS=1 python benchmarks/saxs_real_rg.py "
        f"{' '.join(str(f) for f in args.folders)} --n-samples {args.n_samples} "
        f"--epochs {args.epochs}`; sciml_estimators at {commit}; {_machine()}, one thread "
        f"(load average {os.getloadavg()[0]:.1f} at the end).",
        "",
        "| file | q (1/A) | n | resolution | Guinier Rg (A) | q Rg fitted | SAXSRegressor Rg (A) "
        "| rel. diff. | OOD score (warned) | training Rg (A) | stated Rg (A) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    within = []
    for label, profile, fit, result, stated in rows:
        rg, rg_std, first, last, n_fit = fit
        relative = result["rg"] / rg - 1
        within.append(abs(relative) <= TOLERANCE)
        low, high = result["target_range"]
        truth = "" if stated is None else f"{stated[0]:.1f} ({stated[1]})"
        lines.append(
            f"| {label} | {profile.q[0]:.3g}-{profile.q[-1]:.3g} | {profile.q.size} | "
            f"{_resolution(profile)} | {rg:.1f} +- {rg_std:.1f} | {first:.2f}-{last:.2f} "
            f"({n_fit} pts) | {result['rg']:.1f} +- {result['rg_std']:.1f} | {relative:+.1%} | "
            f"{result['score']:.3g} ({'yes' if result['warned'] else 'no'}) | "
            f"{low:.0f}-{high:.0f} | {truth} |")
    costs = [r[3]["cost"] for r in rows]
    n_within = sum(within)
    lines += [
        "",
        f"Totals: {n_loaded} profiles loaded; {len(rows)} with a meaningful Guinier fit; "
        f"SAXSRegressor within {TOLERANCE:.0%} of Guinier on {n_within} of {len(rows)}; "
        f"out-of-domain warning on {sum(r[3]['warned'] for r in rows)}. {n_models} training "
        f"sets of {args.n_samples} profiles (files on the same q points and resolution share "
        f"one); whole run {seconds:.0f} s.",
    ]
    lines.append(f"Training profiles left out for counting zero everywhere: {n_empty} in all.")
    if costs:
        simulate = sorted({c[0] for c in costs})
        fit = sorted({c[1] for c in costs})
        lines.append(f"Per training set: simulation {simulate[0]:.0f}-{simulate[-1]:.0f} s, "
                     f"training {fit[0]:.0f}-{fit[-1]:.0f} s.")
    lines += ["", "Loaded but not compared (no meaningful Guinier fit):", ""]
    lines += [f"- {label}: {reason}" for label, reason in skipped]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
