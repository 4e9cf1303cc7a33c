"""Read ``results.json`` files back: a Markdown report with plots, and A/B comparisons."""

import json
import os
import warnings
from pathlib import Path

import numpy as np

RESULTS_FILE = "results.json"
TIMING = ("median", "min", "max")
TIMED = ("train_time_per_sample", "inference_time_per_sample")
REQUIRED = dict.fromkeys(("benchmark", "estimator", "device", "n_samples", "n_train", "n_test"))
REQUIRED.update(max_epochs=None, metrics=("accuracy", "log_loss", "f1"))
REQUIRED.update(train_time_per_sample=TIMING, inference_time_per_sample=TIMING)
PLOT_EXTRA = "pip install sciml-estimators[plot]"
_UNITS = ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns"))


def _check(result, path):
    if not isinstance(result, dict):
        raise ValueError(f"{path} holds a JSON {type(result).__name__}, not a results object")
    missing = [key for key in REQUIRED if key not in result]
    for key, subkeys in REQUIRED.items():
        if subkeys and key in result:
            if not isinstance(result[key], dict):
                raise ValueError(f"{path}: '{key}' is not an object")
            missing += [f"{key}.{sub}" for sub in subkeys if sub not in result[key]]
    if missing:
        raise ValueError(f"{path} is not a benchmark result: missing keys {', '.join(missing)}")


def _find(paths):
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(path.rglob(RESULTS_FILE))
            if not found:
                raise ValueError(f"{path} is a folder with no {RESULTS_FILE} anywhere under it")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise ValueError(f"{path} does not exist")
    unique = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values())


def load_results(paths):
    """Read benchmark results from files and folders.

    Parameters
    ----------
    paths : str, path or list of them
        Result files, or folders searched recursively for ``results.json``
        (sorted by path). A file reached twice is read once.

    Returns
    -------
    results : list of dict
        The results, in the order found; each one as ``run_benchmark``
        returned it, plus ``"path"``, the file it was read from.

    Raises
    ------
    ValueError
        Naming the file and why: a path that does not exist, a folder with
        no results file under it, a file that is not valid JSON or not a
        JSON object, or one that lacks keys the report needs.
    """
    results = []
    for path in _find(paths):
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ValueError(
                f"{path} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
            ) from None
        except UnicodeDecodeError:
            raise ValueError(f"{path} is not a text (UTF-8) file") from None
        _check(result, path)
        results.append({**result, "path": str(path)})
    return results


def _format_time(timing, spread=True):
    """Median time, with the min–max spread where there is one, in one readable unit.

    Examples
    --------
    >>> _format_time({"median": 3.2e-3, "min": 3.1e-3, "max": 3.5e-3})
    '3.20 ms (3.10–3.50)'
    >>> _format_time({"median": 1.53e-05, "min": 1.53e-05, "max": 1.53e-05})
    '15.3 µs'
    >>> _format_time({"median": 9.997e-4, "min": 9.99e-4, "max": 2e-3}, spread=False)
    '1.00 ms'
    """
    median = timing["median"]
    rounded = abs(float(f"{median:.3g}"))  # 999.7 µs is shown as 1.00 ms
    scale, unit = next((s, u) for s, u in _UNITS if rounded >= s or u == "ns")
    text = f"{median / scale:#.3g}".rstrip(".") + f" {unit}"
    if spread and timing["min"] != timing["max"]:
        low, high = (f"{timing[k] / scale:#.3g}".rstrip(".") for k in ("min", "max"))
        text += f" ({low}–{high})"
    return text


def _device(result):
    gpu = (result.get("system") or {}).get("gpu")
    return f"{result['device']} ({gpu})" if result["device"] == "cuda" and gpu else result["device"]


def _options(result):
    return ", ".join(f"{k}={v}" for k, v in sorted((result.get("options") or {}).items())) or "none"


def _labels(results, width=36):
    """Plot labels: "#row" and what differs between results; what all share, for titles."""
    parts = [[r["benchmark"], r["estimator"], _device(r), _options(r)] for r in results]
    parts = [[*row[:3], "no options" if row[3] == "none" else row[3]] for row in parts]
    shared = [len({row[i] for row in parts}) == 1 for i in range(4)]
    labels = []
    for number, row in enumerate(parts, 1):
        lines = [f"#{number}"]
        for part in (p for p, same in zip(row, shared) if not same):
            joined = f"{lines[-1]} · {part}"
            lines[-1:] = [joined] if len(joined) <= width else [lines[-1], part]
        labels.append("\n".join(lines))
    title = (p for p, same in zip(parts[0], shared) if same and p != "no options")
    return labels, " · ".join(title)


def _table(results, folder):
    header = [
        "#", "benchmark", "estimator", "device", "options", "train / test", "epochs",
        "accuracy", "log loss", "F1", "train time / sample", "inference time / sample",
        "CPU", "torch threads", "commit", "file",
    ]  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for number, result in enumerate(results, 1):
        system = result.get("system") or {}
        metrics = result["metrics"]
        try:
            link = Path(os.path.relpath(result["path"], folder)).as_posix()
        except ValueError:  # another drive, on Windows
            link = Path(result["path"]).resolve().as_posix()
        cells = [
            number, result["benchmark"], result["estimator"], _device(result), _options(result),
            f"{result['n_train']} / {result['n_test']}", result["max_epochs"],
            f"{metrics['accuracy']:.4f}", f"{metrics['log_loss']:.4f}", f"{metrics['f1']:.4f}",
            _format_time(result["train_time_per_sample"]),
            _format_time(result["inference_time_per_sample"]),
            system.get("cpu"), system.get("torch_threads"),
            (system.get("git_commit") or "")[:7] or None, f"[{link}]({link.replace(' ', '%20')})",
        ]  # fmt: skip
        cells = ["—" if cell is None else str(cell).replace("|", "\\|") for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _axes(mpl, height, title, shared):
    Figure, FigureCanvasAgg = mpl
    figure = Figure(figsize=(8, height), dpi=150, layout="constrained")
    FigureCanvasAgg(figure)  # its own canvas: no pyplot, no global backend
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_axisbelow(True)
    axes.set_title(f"{title} — {shared}" if shared else title, loc="left")
    return figure, axes


def _bar_axes(mpl, labels, least, title, shared):
    lines = max(label.count("\n") + 1 for label in labels)
    height = 1.6 + len(labels) * max(least, 0.25 + 0.2 * lines)
    figure, axes = _axes(mpl, height, title, shared)
    rows = np.arange(len(labels))
    axes.set_yticks(rows, labels)
    axes.invert_yaxis()
    axes.grid(axis="x", alpha=0.3)
    return figure, axes, rows


def _plot_accuracy(results, labels, shared, path, mpl):
    figure, axes, rows = _bar_axes(mpl, labels, 0.45, "Test accuracy", shared)
    bars = axes.barh(rows, [r["metrics"]["accuracy"] for r in results], height=0.6, color="C0")
    axes.bar_label(bars, fmt="%.4f", padding=4)
    axes.set(xlim=(0, 1.15), xticks=np.linspace(0, 1, 6), xlabel="accuracy on the test set")
    figure.savefig(path)


def _plot_times(results, labels, shared, path, mpl):
    figure, axes, rows = _bar_axes(mpl, labels, 0.75, "Time per sample", shared)
    for offset, key, name, color in ((-0.2, TIMED[0], "training", "C1"),
                                     (0.2, TIMED[1], "inference", "C2")):  # fmt: skip
        timings = [r[key] for r in results]
        median = np.array([t["median"] for t in timings])
        spread = [median - [t["min"] for t in timings], [t["max"] for t in timings] - median]
        bars = axes.barh(rows + offset, median, height=0.38, color=color, label=name,
                         xerr=spread if np.any(spread) else None, capsize=3,
                         error_kw={"elinewidth": 1, "ecolor": "0.25"})  # fmt: skip
        axes.bar_label(bars, [_format_time(t, spread=False) for t in timings], padding=4)
    axes.set_xscale("log")
    lowest = min(r[key]["min"] for r in results for key in TIMED)
    if lowest > 0:  # zero cannot sit on a log axis: leave the limits to matplotlib then
        axes.set_xlim(lowest / 3, 40 * max(r[key]["max"] for r in results for key in TIMED))
    axes.set_xlabel("seconds per sample (bar: median, whiskers: min–max)")
    figure.legend(loc="outside lower center", ncols=2, frameon=False)
    figure.savefig(path)


def _plot_curves(results, labels, shared, path, mpl):
    from matplotlib.ticker import LogFormatter, MaxNLocator

    class PlainLogFormatter(LogFormatter):  # the ticks LogFormatter labels, as 0.3 not 3e-01
        def __call__(self, x, pos=None):
            return f"{x:g}" if super().__call__(x, pos) else ""

    figure, axes = _axes(mpl, 4.5, "Training curves", shared)
    for result, label in zip(results, labels):
        curve = result["training_curve"]
        axes.plot(np.arange(1, len(curve) + 1), curve, marker="o", markersize=3,
                  label=label.replace("\n", " · "))  # fmt: skip
    axes.set_yscale("log")
    axes.yaxis.set_major_formatter(PlainLogFormatter())
    axes.yaxis.set_minor_formatter(PlainLogFormatter(labelOnlyBase=False))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(which="major", alpha=0.3)
    axes.grid(which="minor", alpha=0.12)
    axes.set(xlabel="epoch", ylabel="training loss")
    if labels != ["#1"]:
        axes.legend(fontsize="small", frameon=False)
    figure.savefig(path)


def _matplotlib():
    import matplotlib  # noqa: F401  (fails first where matplotlib is missing)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    return Figure, FigureCanvasAgg


def write_report(paths, out, *, force=False):
    """Write a Markdown report of benchmark results, with PNG plots beside it.

    The report holds one table row per result and embeds three plots, named
    after the report (``report.md`` gives ``report_accuracy.png``,
    ``report_time.png`` and ``report_training.png``): test accuracy, time per
    sample on a log scale, and the training curves of the results that
    recorded one. Plots need matplotlib; without it the report holds the
    table and says how to install it. Figures are drawn on their own Agg
    canvas, so a running interactive matplotlib session is left alone.

    Parameters
    ----------
    paths : str, path or list of them
        Result files and folders, as for :func:`load_results`.
    out : str or path
        The report file, ending in ``.md``; its folder is created if needed.
    force : bool, default=False
        Overwrite an existing report (its plots are always overwritten).

    Returns
    -------
    written : list of pathlib.Path
        The report, then the plots, in the order written.

    Raises
    ------
    ValueError
        For bad inputs (see :func:`load_results`), an ``out`` that does not
        end in ``.md``, or an existing report without ``force``.

    Warns
    -----
    UserWarning
        When matplotlib is missing and the report has no plots.
    """
    out = Path(out)
    if out.suffix.lower() != ".md":
        raise ValueError(f"the report {out} must be a Markdown file ending in .md")
    if out.exists() and not force:
        raise ValueError(
            f"{out} already exists; choose another --out or pass --force to overwrite it"
        )
    results = load_results(paths)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Benchmark report",
        "",
        f"{len(results)} result{'s' * (len(results) != 1)}. Times are wall-clock seconds per "
        "sample: median, with min–max over the repeats where there were several.",
        "",
        *_table(results, out.parent),
        "",
    ]
    written = [out]
    try:
        mpl = _matplotlib()
    except ImportError:
        warnings.warn(f"{out} has no plots: they need matplotlib ({PLOT_EXTRA})", stacklevel=2)
        lines += [f"No plots: they need matplotlib (`{PLOT_EXTRA}`).", ""]
        mpl = None
    if mpl is not None:
        labels, shared = _labels(results)
        curves = [i for i, result in enumerate(results) if result.get("training_curve")]
        plots = [
            ("accuracy", "Test accuracy", _plot_accuracy, range(len(results))),
            ("time", "Time per sample", _plot_times, range(len(results))),
            ("training", "Training curves", _plot_curves, curves),
        ]
        for suffix, title, plot, shown in plots:
            lines += [f"## {title}", ""]
            if not shown:
                lines += ["No result recorded a training curve.", ""]
                continue
            path = out.with_name(f"{out.stem}_{suffix}.png")
            plot([results[i] for i in shown], [labels[i] for i in shown], shared, path, mpl)
            lines += [f"![{title}]({path.name.replace(' ', '%20')})", ""]
            written.append(path)
    out.write_text("\n".join(lines), encoding="utf-8")
    return written


def _one(path):
    results = load_results([path])
    if len(results) != 1:
        raise ValueError(f"{path} holds {len(results)} results; compare takes one result each")
    return results[0]


def _summary(result):
    return (
        f"{result['benchmark']}, {result['estimator']}, {_device(result)}, options "
        f"{_options(result)}, {result['n_samples']} samples, {result['max_epochs']} epochs"
    )


def _ratio(b, a):
    return f"{b / a:.4g}" if a else "n/a"


def compare_results(a, b):
    """Compare two results: the ratio B/A of every metric and time per sample.

    Parameters
    ----------
    a, b : str or path
        Two result files (or folders holding exactly one ``results.json``
        each); ``a`` is the baseline.

    Returns
    -------
    table : str
        A printable text table naming A and B, with a warning line first
        when they differ in benchmark, dataset size, device, epochs or
        options: such ratios compare unlike runs.

    Raises
    ------
    ValueError
        For bad inputs, as :func:`load_results`.
    """
    first, second = _one(a), _one(b)
    lines = [f"{name}: {r['path']} ({_summary(r)})" for name, r in (("A", first), ("B", second))]
    fields = {"benchmark": lambda r: r["benchmark"], "n_samples": lambda r: r["n_samples"],
              "device": _device, "epochs": lambda r: r["max_epochs"],
              "options": _options}  # fmt: skip
    differ = [f"{name} (A: {get(first)}, B: {get(second)})" for name, get in fields.items()
              if get(first) != get(second)]  # fmt: skip
    if differ:
        lines.append(f"warning: A and B differ in {'; '.join(differ)}; they are unlike runs")
    rows = [("quantity", "A", "B", "B/A", "")]
    for key, name, sign in (("accuracy", "accuracy", 1), ("log_loss", "log loss", -1),
                            ("f1", "F1", 1)):  # fmt: skip
        x, y = first["metrics"][key], second["metrics"][key]
        verdict = "" if x == y else ("B better" if (y - x) * sign > 0 else "B worse")
        rows.append((name, f"{x:.4f}", f"{y:.4f}", _ratio(y, x), verdict))
    for key, name in zip(TIMED, ("train time / sample", "inference time / sample")):
        x, y = first[key], second[key]
        verdict = "" if x["median"] == y["median"] else "B faster"
        verdict = "B slower" if y["median"] > x["median"] else verdict
        spread = x["min"] != x["max"] or y["min"] != y["max"]
        if verdict and spread and x["min"] <= y["max"] and y["min"] <= x["max"]:
            verdict += " (min–max ranges overlap)"
        ratio = _ratio(y["median"], x["median"])
        rows.append((name, _format_time(x), _format_time(y), ratio, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines.append("")
    for row in rows:
        cells = [f"{cell:<{width}}" for cell, width in zip(row, widths)]
        lines.append("  ".join([*cells, row[4]]).rstrip())
    return "\n".join(lines)
