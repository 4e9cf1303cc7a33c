"""Start-up time of the ``sciml-estimators`` command: ``list`` and ``--help``.

Each run is a fresh process of the installed ``sciml-estimators`` script (the
one beside this interpreter, else the first on ``PATH``), timed by wall clock
from start to exit, its output discarded. One untimed run of each command goes
first, so that every timed run finds the bytecode compiled and the files in the
page cache; then the commands alternate, so that a change in the machine's load
falls on both. Prints the median, minimum and maximum of ``--runs`` runs each,
with the CPU, the cores, the 1-minute load average at start and at end, and the
package the processes imported (set ``PYTHONPATH`` to time another checkout).

    python benchmarks/startup_time.py [--runs 20]

``benchmark_startup.py`` is the asv suite timing the same commands.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

COMMANDS = ("list", "--help")


def command_path():
    """The ``sciml-estimators`` script beside this interpreter, else the first on ``PATH``."""
    path = (shutil.which("sciml-estimators", path=os.path.dirname(sys.executable))
            or shutil.which("sciml-estimators"))
    if path is None:
        raise SystemExit("no sciml-estimators command found; pip install -e . first")
    return path


def wall_time(command, argument):
    """Seconds one fresh process of ``command argument`` takes, start to exit."""
    start = time.perf_counter()
    subprocess.run([command, argument], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per command (default 20)")
    args = parser.parse_args(argv)

    import sciml_estimators
    from sciml_estimators.bench._system import cpu_model

    command = command_path()
    load_at_start = os.getloadavg()[0]
    for argument in COMMANDS:
        wall_time(command, argument)
    times = {argument: [] for argument in COMMANDS}
    for _ in range(args.runs):
        for argument in COMMANDS:
            times[argument].append(wall_time(command, argument))
    print(f"{command} (package {os.path.dirname(sciml_estimators.__file__)}), "
          f"{args.runs} runs each:")
    for argument, seconds in times.items():
        print(f"  sciml-estimators {argument:<6}  median {statistics.median(seconds):.3f} s  "
              f"(min {min(seconds):.3f}, max {max(seconds):.3f})")
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; 1-minute load average "
          f"{load_at_start:.2f} at start, {os.getloadavg()[0]:.2f} at end.")


if __name__ == "__main__":
    main()
