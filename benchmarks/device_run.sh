#!/usr/bin/env bash
# The CUDA checks in one call, for a lent GPU machine with PyTorch but without
# skorch (wheels carried in .whl/): the CUDA tests, gpu_check.py (CUDA and CPU
# rows with plain-loop ratios) and a paper-size `run saxs-1d --device cuda`.
# Results go to ${OUT:-device-out}/.
set -uo pipefail
out=${OUT:-device-out}
mkdir -p "$out"
if ls .whl/*.whl >/dev/null 2>&1; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/site .whl/*.whl || exit 1
    export PYTHONPATH=/tmp/site:$PWD
fi
export PYTHONUNBUFFERED=1
nvidia-smi -L
python3 -c "import torch, sklearn, skorch, numba, numpy; print('torch', torch.__version__, 'sklearn', sklearn.__version__, 'skorch', skorch.__version__, 'numba', numba.__version__, 'numpy', numpy.__version__, 'cuda', torch.cuda.is_available())"
python3 -m pytest -q -p no:cacheprovider -o addopts="" tests/estimators 2>&1 | tail -4
python3 benchmarks/gpu_check.py --json "$out/gpu_check.json" 2>&1 | tee "$out/gpu_check.md"
python3 -m sciml_estimators run saxs-1d --device cuda --repeats 3 --quiet --out "$out/saxs-1d-cuda"
python3 -m sciml_estimators run saxs-1d --device cuda --noise poisson --quiet --out "$out/saxs-1d-cuda-noisy"
