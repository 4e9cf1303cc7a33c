"""The ``sciml-estimators`` command: list, run, report and compare the benchmarks."""

import argparse
import json
import sys
import warnings
from pathlib import Path

from ._output_path import check_output_file
from ._registry import get_benchmark, list_benchmarks

RESULTS_FILE = "results.json"


def _format_table(result):
    from ._report import format_metric

    timing = "{median:.3e} s (min {min:.3e}, max {max:.3e})"
    gpu = result["system"]["gpu"]
    rows = [
        ("benchmark", result["benchmark"]),
        ("task", result.get("task", "classification")),
        ("estimator", f"{result['estimator']} ({result['estimator_class']})"),
        ("device", result["device"] + (f" ({gpu})" if result["device"] == "cuda" else "")),
        ("cpu", f"{result['system']['cpu']}, {result['system']['torch_threads']} torch threads"),
        ("samples", f"{result['n_samples']} ({result['n_train']} train / {result['n_test']} test)"),
        ("epochs", str(result["max_epochs"])),
        *((name, format_metric(name, value)) for name, value in result["metrics"].items()),
        ("train time / sample", timing.format(**result["train_time_per_sample"])),
        ("inference time / sample", timing.format(**result["inference_time_per_sample"])),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def _whole_number(low, high=None):
    """An argparse type: a whole number from ``low`` (to ``high``), else a usage error."""
    expected = f">= {low}" if high is None else f"from {low} to {high}"

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"expected a whole number {expected}; got {text!r}")
        return value

    return parse


def _run(args):
    names = list_benchmarks() if args.name == "all" else [args.name]
    options = {"noise": args.noise} if args.noise else {}
    if args.nuisances:
        options["nuisances"] = None if args.nuisances == "ideal" else args.nuisances
    for name in names:  # every name, estimator and option checked before hours of runs
        get_benchmark(name).check_options(options)
        get_benchmark(name).check_estimator(args.estimator)
    out = Path(args.out or "sciml-results")
    targets = {name: (out / name if args.name == "all" else out) / RESULTS_FILE for name in names}
    for target in targets.values():  # and where the results go
        check_output_file(target, force=args.force)

    import torch

    from ._runner import run_benchmark

    if args.threads is not None:
        torch.set_num_threads(args.threads)
    for name, target in targets.items():
        result = run_benchmark(
            name,
            device=args.device,
            estimator=args.estimator,
            quick=args.quick,
            n_samples=args.n_samples,
            max_epochs=args.max_epochs,
            repeats=args.repeats,
            random_state=args.random_state,
            progress=not args.quiet,
            **options,
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(result, indent=2) + "\n")
        print(_format_table(result))
        print(f"results written to {target}\n")


def _list(args):
    for name in list_benchmarks():
        benchmark = get_benchmark(name)
        estimators = ", ".join(benchmark.estimators)
        print(f"{name:<12} {benchmark.description}  [estimators: {estimators}]")


def _report(args):
    from ._report import write_report

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = write_report(args.paths, args.out, force=args.force)
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    print("\n".join(map(str, written)))


def _compare(args):
    from ._report import compare_results

    print(compare_results(args.a, args.b))


def build_parser():
    """The argument parser of ``sciml-estimators``."""
    parser = argparse.ArgumentParser(
        prog="sciml-estimators", description="Run the scientific ML benchmarks."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the registered benchmarks").set_defaults(func=_list)

    run = commands.add_parser("run", help="simulate, train, evaluate and time a benchmark")
    run.add_argument("name", help="a benchmark name from 'list', or 'all'")
    run.add_argument("--device", choices=["cpu", "cuda", "auto"], default="cpu")
    run.add_argument("--estimator", help="estimator name (default: the reference)")
    run.add_argument("--quick", action="store_true",
                     help="small sizes (and budgets, for slow models): a smoke run")
    run.add_argument("--n-samples", type=_whole_number(1), metavar="N",
                     help="dataset size, at least 1 (default: the paper's)")
    run.add_argument("--max-epochs", type=_whole_number(1), metavar="N",
                     help="training epochs, at least 1 (default: the benchmark's)")
    noises = sorted({value for name in list_benchmarks()
                     for value in get_benchmark(name).options.get("noise", ()) if value})
    run.add_argument("--noise", choices=noises,
                     help="noise-added data category (of the benchmarks that have it)")
    nuisances = sorted({value or "ideal" for name in list_benchmarks()
                        for value in get_benchmark(name).options.get("nuisances", ())})
    run.add_argument("--nuisances", choices=nuisances,
                     help="measured-like data or the ideal simulation (of the benchmarks that "
                          "have both; default: the benchmark's)")
    run.add_argument("--repeats", type=_whole_number(1), default=1, metavar="N",
                     help="timed fits and predictions, at least 1 (default: 1)")
    run.add_argument("--random-state", type=_whole_number(0, 2**32 - 1), default=0, metavar="SEED",
                     help="seed of the data, split and estimator, 0 to 2**32 - 1 (default: 0)")
    run.add_argument("--threads", type=_whole_number(1), metavar="N",
                     help="torch threads, at least 1 (default: torch's choice)")
    run.add_argument("--out", help="output folder (default: sciml-results)")
    run.add_argument("--force", action="store_true", help="overwrite existing results")
    run.add_argument("--quiet", action="store_true", help="no progress bars")
    run.set_defaults(func=_run)

    report = commands.add_parser("report", help="Markdown table and plots of results files")
    report.add_argument("paths", nargs="+", metavar="DIR_OR_FILE",
                        help="results.json files, or folders searched for them")  # fmt: skip
    report.add_argument("--out", default="report.md", metavar="FILE",
                        help="report file; plots go beside it (default: report.md)")  # fmt: skip
    report.add_argument("--force", action="store_true", help="overwrite an existing report")
    report.set_defaults(func=_report)

    compare = commands.add_parser("compare", help="ratios B/A of two results' metrics and times")
    compare.add_argument("a", metavar="A.json", help="the baseline result")
    compare.add_argument("b", metavar="B.json", help="the result compared with it")
    compare.set_defaults(func=_compare)
    return parser


def main(argv=None):
    """Entry point of the ``sciml-estimators`` command; returns its exit status.

    A usage error (an unknown option, a value out of range) is 2, after
    argparse's message on standard error, as any other refused input.
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit:  # --help (0) or a usage error (2)
        return exit.code
    try:
        args.func(args)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
