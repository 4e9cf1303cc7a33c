"""benchmarks/gpu_check.py runs on the CPU (CI has no GPU)."""

import pytest
import torch


@pytest.fixture(scope="module")
def gpu_check(script):
    return script("benchmarks/gpu_check.py")


def test_cpu_table_has_reference_and_plain_rows(gpu_check, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(torch, "set_num_threads", lambda n: None)  # leave the suite's threads
    out = tmp_path / "rows.json"
    assert gpu_check.main(["--device", "cpu", "--quick", "--repeats", "1", "--json", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line for line in lines if line.startswith("| saxs-1d | cpu")]
    assert len(rows) == 2 and "| mlp |" in rows[0] and "| plain torch |" in rows[1]
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert float(cells[3]) >= 0.9  # accuracy
    assert float(cells[8]) > 0 and float(cells[9]) > 0  # overhead ratios
    assert lines[-1] == ("skipped (no plain PyTorch loop to compare with): "
                         "saxs-rg, magnons, magnons-shift, dms, dms-shift, flimp, flimp-populations")
    assert out.exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error raised without CUDA")
def test_cuda_missing_is_an_error(gpu_check, capsys):
    assert gpu_check.main(["--quick"]) == 2
    assert "CUDA is not available" in capsys.readouterr().err

