"""The command line: JSON output and error paths (no traceback, non-zero exit)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from halte.planning.solver.cli import main

ROOT = Path(__file__).resolve().parents[3]


def test_cli_json_in_a_fresh_process(data_dir: Path) -> None:
    # A separate process checks that HiGHS's start-up banner does not pollute the JSON.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "halte.planning.solver",
            "solve",
            str(data_dir / "pmedcap01.txt"),
            "--format",
            "orlib-pmedcap",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["model"] == "capacitated-p-median" and report["p"] == 5
    assert report["status"] == "optimal" and report["proven_optimal"] is True
    assert report["objective"] == report["bound"] == 713 and report["gap"] == 0
    assert len(report["sites"]) == 5 and all(1 <= s <= 50 for s in report["sites"])
    assert set(report["assignment"]) == set(report["sites"])


def test_cli_mclp_with_p_and_radius(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "solve",
            str(data_dir / "SJC324.txt"),
            "--format",
            "sjc-mclp",
            "--p",
            "2",
            "--radius",
            "800",
            "--json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["objective"] == 8790 and report["status"] == "optimal"


def test_cli_reports_time_limit(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["solve", str(data_dir / "SJC2.dat"), "--format", "sjc", "--time-limit", "1", "--json"]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["status"] == "time_limit" and report["proven_optimal"] is False
    assert report["bound"] <= report["objective"]


@pytest.mark.parametrize(
    "args,needle",
    [
        (["missing.txt", "--format", "sjc"], "no such file"),
        (["{data}/pmed1.txt", "--format", "sjc"], "expected 2 numbers"),
        (["{data}/pmed1.txt", "--format", "orlib-pmed", "--p", "101"], "p must be between"),
        (["{data}/pmed1.txt", "--format", "orlib-pmed", "--p", "0"], "p must be between"),
        (["{data}/SJC324.txt", "--format", "sjc-mclp", "--radius", "800"], "give --p"),
        (["{data}/SJC324.txt", "--format", "sjc-mclp", "--p", "2"], "radius"),
        (
            ["{data}/pmed1.txt", "--format", "orlib-pmed", "--model", "capacitated-p-median"],
            "capacities",
        ),
        (["{data}/pmed1.txt", "--format", "orlib-pmed", "--time-limit", "0"], "time-limit"),
    ],
)
def test_cli_errors_exit_non_zero_without_traceback(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    argv = ["solve", *(a.replace("{data}", str(data_dir)) for a in args)]
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.startswith("error:") and needle in captured.err
    assert "Traceback" not in captured.err
