"""Read ``results.json`` files back: a Markdown report with plots, and A/B comparisons."""

import json
import os
import warnings
from pathlib import Path

import numpy as np

from ..exceptions import SciMLEstimatorsWarning
from ._output_path import check_output_file

RESULTS_FILE = "results.json"
TIMING = ("median", "min", "max")
TIMED = ("train_time_per_sample", "inference_time_per_sample")
REQUIRED = dict.fromkeys(("benchmark", "estimator", "device", "n_samples", "n_train", "n_test"))
REQUIRED.update(max_epochs=None, metrics=None)
REQUIRED.update(train_time_per_sample=TIMING, inference_time_per_sample=TIMING)
#: The metrics each task's results must hold; a result without ``task`` (from
#: before regression benchmarks) is a classification result.
TASK_METRICS = {"classification": ("accuracy", "log_loss", "f1"), "regression": ("r2",)}
#: Nominal probability of each coverage metric, which a calibrated model meets.
NOMINAL_COVERAGE = {"coverage_68": 0.6827, "coverage_95": 0.95}
PLOT_EXTRA = "pip install sciml-estimators[plot]"
_UNITS = ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns"))


def _task(result):
    return result.get("task", "classification")


def _check(result, path):
    if not isinstance(result, dict):
        raise ValueError(f"{path} holds a JSON {type(result).__name__}, not a results object")
    if _task(result) not in TASK_METRICS:
        raise ValueError(
            f"{path} has task {_task(result)!r}; known tasks: {', '.join(TASK_METRICS)}"
        )
    required = dict(REQUIRED, metrics=TASK_METRICS[_task(result)])
    missing = [key for key in required if key not in result]
    for key, subkeys in required.items():
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


def _per_target(metrics, prefix):
    """``{target name: value}`` of a per-target metric such as ``"mae"`` ("" names a 1-D target)."""
    return {key[len(prefix) + 1:]: value for key, value in metrics.items()
            if key == prefix or key.startswith(prefix + "_")}  # fmt: skip


def format_metric(key, value):
    """A metric as text: errors (in the targets' unit) to 4 significant digits, others 4 decimals.

    Examples
    --------
    >>> format_metric("mae_J", 0.0055123), format_metric("r2", 0.98765)
    ('0.005512', '0.9877')
    """
    return f"{value:.4g}" if key.split("_")[0] in ("mae", "rmse") else f"{value:.4f}"


def _targets_cell(metrics, prefix):
    """``"J 0.0055, J2 0.0036"``: a per-target metric in one cell; None where absent."""
    values = _per_target(metrics, prefix)
    return ", ".join(f"{name} {format_metric(prefix, value)}".strip()
                     for name, value in values.items()) or None  # fmt: skip


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


def _metric_cell(key):
    return lambda metrics: format_metric(key, metrics[key])


def _truth_cell(metrics):
    """Agreement with a physical truth, then that of the training labels; None without one."""
    if "truth_accuracy" not in metrics:
        return None
    return (f"{format_metric('accuracy', metrics['truth_accuracy'])} "
            f"({format_metric('accuracy', metrics['labels_truth_accuracy'])})")


def _overlap_cell(metrics):
    """Dice and IoU of label images (their means over classes beyond two); None for others."""
    prefix = "" if "dice" in metrics else "mean_"
    if f"{prefix}dice" not in metrics:
        return None
    return (f"{format_metric('dice', metrics[prefix + 'dice'])} / "
            f"{format_metric('iou', metrics[prefix + 'iou'])}")


#: The table's metric columns of each task: header and cell of a result's metrics.
METRIC_COLUMNS = {
    "classification": [("accuracy", _metric_cell("accuracy")),
                       ("log loss", _metric_cell("log_loss")), ("F1", _metric_cell("f1")),
                       ("Dice / IoU", _overlap_cell),
                       ("accuracy vs truth (labels')", _truth_cell)],
    "regression": [("MAE", lambda metrics: _targets_cell(metrics, "mae")),
                   ("R²", _metric_cell("r2")),
                   ("68 % coverage", lambda metrics: _targets_cell(metrics, "coverage_68")),
                   ("95 % coverage", lambda metrics: _targets_cell(metrics, "coverage_95"))],
}  # fmt: skip


def _table(results, folder):
    """One row per result; the metric columns of every task present, "—" where they do not apply."""
    tasks = {_task(result) for result in results}
    columns = [(task, *column) for task in METRIC_COLUMNS if task in tasks
               for column in METRIC_COLUMNS[task]]  # fmt: skip
    header = [
        "#", "benchmark", "estimator", "device", "options", "train / test", "epochs",
        *(name for _, name, _ in columns), "train time / sample", "inference time / sample",
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
            *(cell(metrics) if task == _task(result) else None for task, _, cell in columns),
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


def _plot_mae(results, labels, shared, path, mpl):
    maes = [_per_target(r["metrics"], "mae") for r in results]
    names = list(dict.fromkeys(name for mae in maes for name in mae))
    figure, axes, rows = _bar_axes(mpl, labels, 0.2 + 0.25 * len(names), "Test MAE", shared)
    height = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        values = [mae.get(name) for mae in maes]
        offset = (i - (len(names) - 1) / 2) * height
        bars = axes.barh(rows + offset, [v or 0.0 for v in values], height=0.95 * height,
                         color=f"C{i}", label=name or "target")  # fmt: skip
        texts = ["" if v is None else format_metric("mae", v) for v in values]
        axes.bar_label(bars, texts, padding=4)
    largest = max((v for mae in maes for v in mae.values()), default=0.0)
    axes.set_xlim(0, 1.3 * largest if largest > 0 else 1.0)
    axes.set_xlabel("mean absolute error on the test set, in each target's unit")
    if names != [""]:
        figure.legend(loc="outside lower center", ncols=min(len(names), 6), frameon=False)
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
    if all(loss > 0 for result in results for loss in result["training_curve"]):
        axes.set_yscale("log")
        axes.yaxis.set_major_formatter(PlainLogFormatter())
        axes.yaxis.set_minor_formatter(PlainLogFormatter(labelOnlyBase=False))
    # else a linear axis: a Gaussian likelihood loss (the regressors') goes below zero.
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

    The report holds one table row per result, with the metric columns of
    each task present (classification: accuracy, log loss, F1; regression:
    MAE per target, R² and the coverage of the 68 % and 95 % intervals; "—"
    where a column does not apply), and embeds plots named after the report
    (``report.md`` gives ``report_accuracy.png``, ``report_mae.png``,
    ``report_time.png`` and ``report_training.png``): test accuracy of the
    classification results and test MAE per target of the regression results
    (each only where there are such results), time per sample on a log
    scale, and the training curves of the results that recorded one (on a
    log scale unless a loss is not positive). Plots need matplotlib; without
    it the report holds the table and says how to install it. Figures are
    drawn on their own Agg canvas, so a running interactive matplotlib
    session is left alone.

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
        end in ``.md``, an existing report without ``force``, or an ``out``
        that cannot be written (a folder, or in a folder that is read-only
        or a file).

    Warns
    -----
    SciMLEstimatorsWarning
        When matplotlib is missing and the report has no plots.
    """
    out = Path(out)
    if out.suffix.lower() != ".md":
        raise ValueError(f"the report {out} must be a Markdown file ending in .md")
    check_output_file(out, force=force)
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
        warnings.warn(f"{out} has no plots: they need matplotlib ({PLOT_EXTRA})",
                      SciMLEstimatorsWarning, stacklevel=2)
        lines += [f"No plots: they need matplotlib (`{PLOT_EXTRA}`).", ""]
        mpl = None
    if mpl is not None:
        labels, shared = _labels(results)
        curves = [i for i, result in enumerate(results) if result.get("training_curve")]
        by_task = {task: [i for i, result in enumerate(results) if _task(result) == task]
                   for task in TASK_METRICS}  # fmt: skip
        scores = [("accuracy", "Test accuracy", _plot_accuracy, by_task["classification"]),
                  ("mae", "Test MAE", _plot_mae, by_task["regression"])]  # fmt: skip
        plots = [
            *(plot for plot in scores if plot[3]),  # only for the tasks present
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


#: Names of the metrics in ``compare``'s table; other keys are shown as they are.
METRIC_NAMES = {"log_loss": "log loss", "f1": "F1", "r2": "R²"}


def _badness(key):
    """How bad a metric's value is, lower being better: errors, misses of nominal coverage."""
    kind = key.split("_")[0]
    if key == "log_loss" or kind in ("mae", "rmse"):
        return lambda value: value
    if kind == "coverage":
        nominal = NOMINAL_COVERAGE["_".join(key.split("_")[:2])]
        return lambda value: abs(value - nominal)
    return lambda value: -value  # accuracy, F1, R²: higher is better


def compare_results(a, b):
    """Compare two results: the ratio B/A of every metric and time per sample.

    The metrics are those both results hold (a classification and a
    regression result share none). Each is marked "B better" or "B worse":
    higher accuracy, F1 and R², lower log loss, MAE and RMSE, and interval
    coverage nearer its nominal 68.27 % or 95 % are better.

    Parameters
    ----------
    a, b : str or path
        Two result files (or folders holding exactly one ``results.json``
        each); ``a`` is the baseline.

    Returns
    -------
    table : str
        A printable text table naming A and B, with a warning line first
        when they differ in benchmark, task, dataset size, device, epochs or
        options: such ratios compare unlike runs.

    Raises
    ------
    ValueError
        For bad inputs, as :func:`load_results`.
    """
    first, second = _one(a), _one(b)
    lines = [f"{name}: {r['path']} ({_summary(r)})" for name, r in (("A", first), ("B", second))]
    fields = {"benchmark": lambda r: r["benchmark"], "task": _task,
              "n_samples": lambda r: r["n_samples"],
              "device": _device, "epochs": lambda r: r["max_epochs"],
              "options": _options}  # fmt: skip
    differ = [f"{name} (A: {get(first)}, B: {get(second)})" for name, get in fields.items()
              if get(first) != get(second)]  # fmt: skip
    if differ:
        lines.append(f"warning: A and B differ in {'; '.join(differ)}; they are unlike runs")
    rows = [("quantity", "A", "B", "B/A", "")]
    for key in (key for key in first["metrics"] if key in second["metrics"]):
        x, y = first["metrics"][key], second["metrics"][key]
        badness = _badness(key)
        verdict = "" if badness(x) == badness(y) else (
            "B better" if badness(y) < badness(x) else "B worse")
        name = METRIC_NAMES.get(key, key)
        rows.append((name, format_metric(key, x), format_metric(key, y), _ratio(y, x), verdict))
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
