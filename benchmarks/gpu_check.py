"""Every registered benchmark on CUDA and on the CPU, with the plain-loop ratios.

Runs each benchmark's reference estimator and its plain PyTorch loop on the
same split, on each device, and prints one Markdown table: scores, training
and inference time per sample, and estimator / plain-loop ratios. Sized to
finish in under 5 minutes on one H100 (paper sizes where they fit, ``SIZES``
elsewhere).
Benchmarks without a plain loop to compare with (``plain_reference`` None,
e.g. ``magnons``) are skipped, and named under the table.

    python benchmarks/gpu_check.py                      # cuda and cpu
    python benchmarks/gpu_check.py --device cpu --quick # what CI runs
"""

import argparse
import json
import sys

import torch

from sciml_estimators.bench import get_benchmark, list_benchmarks
from sciml_estimators.bench._runner import evaluate, simulate_split
from sciml_estimators.bench._system import system_info

#: Sizes below the paper's, where its size would not finish in minutes: the
#: cloud MLP's CPU fit takes 0.29 s per scene (800 scenes: 4 minutes a fit).
SIZES = {"cloud": 100}

HEADER = (
    "| benchmark | device | model | accuracy | log loss | F1 | train s/sample "
    "| inference s/sample | train ratio | inference ratio |"
)


def comparable(benchmark):
    """Whether this script can check ``benchmark``: a classifier with a plain loop."""
    return benchmark.plain_reference is not None and benchmark.task == "classification"


def check(name, devices, *, quick, repeats, seed=0):
    """Rows of the table for one benchmark: reference and plain loop per device."""
    benchmark = get_benchmark(name)
    size = benchmark.quick_n_samples if quick else SIZES.get(name, benchmark.n_samples)
    split = simulate_split(benchmark, size, random_state=seed)
    factory = benchmark.estimators[benchmark.reference]
    rows = []
    for device in devices:
        def build():
            return factory(device=device, random_state=seed, max_epochs=None, verbose=0)

        reference = evaluate(build, split, repeats=repeats, shifts_domain=benchmark.shifts_domain)
        plain = evaluate(lambda: benchmark.plain_reference(build()), split, repeats=repeats)
        for label, scores in [(benchmark.reference, reference), ("plain torch", plain)]:
            rows.append({"benchmark": name, "device": device, "model": label,
                         "n_train": len(split[0]), **scores})
        rows[-2]["train_ratio"] = (reference["train_time_per_sample"]["median"]
                                   / plain["train_time_per_sample"]["median"])
        rows[-2]["inference_ratio"] = (reference["inference_time_per_sample"]["median"]
                                       / plain["inference_time_per_sample"]["median"])
    return rows


def format_row(row):
    metrics = row["metrics"]
    ratios = [f"{row[key]:.2f}" if key in row else "" for key in ("train_ratio", "inference_ratio")]
    return (
        f"| {row['benchmark']} | {row['device']} | {row['model']} | {metrics['accuracy']:.4f} "
        f"| {metrics['log_loss']:.4f} | {metrics['f1']:.4f} "
        f"| {row['train_time_per_sample']['median']:.3e} "
        f"| {row['inference_time_per_sample']['median']:.3e} | {' | '.join(ratios)} |"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=["cuda", "cpu"], action="append",
                        help="device to run (repeatable; default: cuda and cpu)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--json", help="also write the rows and the system to this file")
    args = parser.parse_args(argv)
    devices = args.device or ["cuda", "cpu"]
    if "cuda" in devices and not torch.cuda.is_available():
        print("error: CUDA is not available; run with --device cpu", file=sys.stderr)
        return 2
    torch.set_num_threads(args.threads)
    system = system_info()
    print(f"CPU: {system['cpu']} ({system['cpu_count']} cores, {args.threads} torch threads); "
          f"GPU: {system['gpu']}; torch {system['libraries']['torch']}\n")
    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    rows = []
    checked = [name for name in list_benchmarks() if comparable(get_benchmark(name))]
    for name in checked:
        for row in check(name, devices, quick=args.quick, repeats=args.repeats):
            print(format_row(row), flush=True)
            rows.append(row)
    skipped = [name for name in list_benchmarks() if name not in checked]
    if skipped:
        print(f"\nskipped (no plain PyTorch loop to compare with): {', '.join(skipped)}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"system": system, "rows": rows}, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
