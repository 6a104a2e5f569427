"""The installed wheel works on its own: gold data and the seed report ship as package data, so
`assistant eval seed` runs from a wheel installed outside the source tree (no editable install, no checkout)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600) -> str:
    """Run a command; on failure show its output, so a packaging miss reads as one."""
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    shown = f"{' '.join(cmd)} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert done.returncode == 0, shown
    return done.stdout


def _build_wheel(tmp: Path) -> Path:
    """Build from a copy of the sources, so the build leaves no build/ or *.egg-info in the checkout."""
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "assistant", src / "assistant", ignore=shutil.ignore_patterns("__pycache__"))
    # the shared venv's setuptools builds it offline; without one pip fetches it into an isolated build env
    isolation = ["--no-build-isolation"] if importlib.util.find_spec("setuptools") else []
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-w", str(tmp / "dist"), str(src)], tmp)
    (wheel,) = (tmp / "dist").glob("news_assistant-*.whl")
    return wheel


def _venv_with_dependencies(tmp: Path) -> Path:
    """A fresh venv that sees the running venv's installed dependencies through a .pth line. Only that line is
    added to sys.path: the .pth files inside that folder (the editable install's finder) are not processed, so
    `assistant` can only come from what gets installed into this venv."""
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp).strip()
    shared = [p for p in site.getsitepackages() if Path(p).is_relative_to(sys.prefix)]
    (Path(purelib) / "shared_dependencies.pth").write_text("\n".join(shared) + "\n", encoding="utf-8")
    return venv


def _isolated_env() -> dict[str, str]:
    """The environment minus anything that could put the source tree on sys.path."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"}}
    env.update(HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False")
    env.pop("ASSISTANT_DATA_DIR", None)
    return env


@pytest.mark.integration
@pytest.mark.slow
def test_eval_seed_runs_from_an_installed_wheel(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    venv = _venv_with_dependencies(tmp_path)
    python = str(venv / "bin" / "python")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", str(wheel)], tmp_path)

    elsewhere = tmp_path / "elsewhere"  # a working directory with no corpus/, no assistant/ and no repo around it
    elsewhere.mkdir()
    env = _isolated_env()
    probe = "import assistant, assistant.evals.data as d; print(assistant.__file__); print(d.seed_article())"
    module_file, seed = _run([python, "-c", probe], elsewhere, env).splitlines()
    assert Path(module_file).resolve().is_relative_to(venv.resolve()), module_file
    assert Path(seed).resolve().is_relative_to(venv.resolve()) and Path(seed).is_file(), seed

    report = tmp_path / "report"
    cmd = [str(venv / "bin" / "assistant"), "--data-dir", str(tmp_path / "data"), "eval", "seed", "--limit", "5"]
    out = _run([*cmd, "--report", str(report)], elsewhere, env)
    assert re.search(r"^\|\s*cases\s*\|\s*5\s*\|$", out, re.M), out
    assert len((report / "results.jsonl").read_text(encoding="utf-8").splitlines()) == 5
