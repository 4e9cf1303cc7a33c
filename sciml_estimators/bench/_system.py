"""What a result must record about the machine and the software it ran on."""

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

LIBRARIES = ("sciml-estimators", "numpy", "scipy", "scikit-learn", "numba", "torch", "skorch")


def cpu_model():
    """The CPU's marketing name, from /proc/cpuinfo where there is one."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def simulator_machine(load_at_start, software=""):
    """One line on the machine a simulator timing ran on, for the compare scripts.

    CPU model and cores, numba's version, threads and threading layer (call
    after a parallel kernel has run), ``software`` (e.g. ", numpy 2.4"), and
    the 1-minute load average at the start (``load_at_start``) and now.
    """
    import numba

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cpu_model()}, {cores} cores, numba {numba.__version__} with "
            f"{numba.get_num_threads()} threads ({numba.threading_layer()} layer){software}; "
            f"1-minute load average {load_at_start:.2f} at start, "
            f"{os.getloadavg()[0]:.2f} at end.")


def gpu_model():
    """The name of CUDA device 0, or None without CUDA."""
    import torch

    return torch.cuda.get_device_name(0) if torch.cuda.is_available() else None


def library_versions():
    """Installed versions of the libraries a benchmark result depends on."""
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_commit(path=None):
    """The commit checked out at ``path`` (default: this package's folder), or None."""
    folder = Path(path) if path else Path(__file__).resolve().parent
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return completed.stdout.strip() if completed.returncode == 0 else None


def system_info():
    """Machine, threads and library versions, for a results file."""
    import torch

    return {
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "gpu": gpu_model(),
        "torch_threads": torch.get_num_threads(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "libraries": library_versions(),
        "git_commit": git_commit(),
    }
