"""The structure of the house: the import layers, no cycles, no private names used across modules, modules of
a readable size. ``make lint`` runs the same import contracts (``lint-imports``, configured in pyproject.toml)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "graphs", "tools", "memory")
MAX_LINES = 650  # "about 600": a product module past this holds more than one job


def _modules(root: Path = REPO) -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_name_uses(root: Path = REPO) -> list[str]:
    """``from x import _name``, ``import x._mod`` and ``x._name`` where x is another project module."""
    modules = _modules(root)
    problems = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases: dict[str, str] = {}  # local name -> project module it stands for
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.split(".")[0] not in PACKAGES or node.module == name:
                    continue
                for alias in node.names:
                    if _private(alias.name):
                        problems.append(f"{name}: from {node.module} import {alias.name}")
                    elif f"{node.module}.{alias.name}" in modules:
                        aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in PACKAGES and alias.name != name:
                        if any(_private(part) for part in alias.name.split(".")):
                            problems.append(f"{name}: import {alias.name}")
                        if alias.asname:
                            aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and aliases[node.value.id] != name):
                problems.append(f"{name}: {aliases[node.value.id]}.{node.attr}")
    return sorted(set(problems))


def test_import_contracts_hold() -> None:
    """app → graphs → tools, memory → tools.records; no sibling cycles (the contracts in pyproject.toml)."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_no_private_names_across_modules() -> None:
    assert private_name_uses() == []


def test_the_checker_sees_private_names(tmp_path: Path) -> None:
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "a.py").write_text("_SECRET = 1\n\ndef _helper():\n    return _SECRET\n")
    (tmp_path / "tools" / "b.py").write_text("from tools.a import _SECRET\nfrom tools import a\n\nx = a._helper()\n")
    (tmp_path / "tools" / "c.py").write_text("from tools.a import __doc__\nimport tools.a as fine\n")
    assert private_name_uses(tmp_path) == ["tools.b: from tools.a import _SECRET", "tools.b: tools.a._helper"]


def test_product_modules_stay_readable() -> None:
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
