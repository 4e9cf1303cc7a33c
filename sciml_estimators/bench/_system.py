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
