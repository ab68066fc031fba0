"""LangGraph Studio: the graphs of langgraph.json load by path, and ``langgraph dev`` serves all of them.

The server test starts the real ``langgraph dev`` (in-memory runtime) in the repository root, on a free loopback
port, without tracing, API keys or network, and reads what Studio reads: the assistants and a graph's drawing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langgraph.graph.state import CompiledStateGraph
from servers import free_port, running

REPO = Path(__file__).resolve().parents[2]
CONFIG = json.loads((REPO / "langgraph.json").read_text())
GRAPHS: dict[str, str] = CONFIG["graphs"]
EXPECTED = {"supervisor", "intake", "sourcing", "evaluation"}
STARTUP_S = 90  # the server imports every graph before it answers; two shared cores can be slow
SUPERVISOR_NODES = {"planner", "executor", "replanner"}


def _load(spec: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The object ``./path/to/file.py:name`` names, loaded from the file as the LangGraph server does: under a
    module name made from the path, registered in ``sys.modules`` while it runs (type hints resolve through it)."""
    path, _, name = spec.partition(":")
    file = (REPO / path).resolve()
    modname = path.replace("/", "__").replace(".py", "").replace(" ", "_").lstrip(".")
    module_spec = importlib.util.spec_from_file_location(modname, file)
    assert module_spec is not None and module_spec.loader is not None, f"cannot load {file}"
    module = importlib.util.module_from_spec(module_spec)
    monkeypatch.setitem(sys.modules, modname, module)
    module_spec.loader.exec_module(module)
    return getattr(module, name)


def test_config_names_the_four_graphs() -> None:
    assert set(GRAPHS) == EXPECTED
    assert CONFIG["dependencies"] == ["."]


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_graph_loads_by_path_without_checkpointer(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _load(GRAPHS[name], monkeypatch)
    assert isinstance(graph, CompiledStateGraph)
    # the LangGraph server brings its own persistence: a graph compiled with a checkpointer is refused there
    assert graph.checkpointer is None
    drawing = graph.get_graph().draw_mermaid()
    assert drawing.startswith("---") or "graph TD" in drawing
    assert "__start__" in drawing


def _cli() -> str | None:
    local = Path(sys.executable).with_name("langgraph")
    return str(local) if local.exists() else shutil.which("langgraph")


def _request(url: str, body: Any = None, timeout: float = 10) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="GET" if body is None else "POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as reply:
        return json.loads(reply.read().decode() or "null")


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``langgraph dev`` in the repository root; yields its base URL."""
    cli = _cli()
    if cli is None:
        pytest.skip("the langgraph CLI is not installed (pip install -e '.[dev]' brings langgraph-cli[inmem])")
    port = free_port()
    data = tmp_path_factory.mktemp("studio-data")
    log = data / "server.log"
    env = {k: v for k, v in os.environ.items()
           if not (k.endswith("_API_KEY") or k.startswith(("LANGSMITH_", "LANGCHAIN_"))
                   or k in ("HIRE_DATABASE_URL", "HIRE_CHECKPOINT_URL", "HIRE_CHROMA_URL", "HIRE_CHROMA_PATH"))}
    env.update({"LANGSMITH_TRACING": "false", "LANGCHAIN_TRACING_V2": "false", "LANGGRAPH_CLI_NO_ANALYTICS": "1",
                "HF_HUB_OFFLINE": "1", "HIRE_DATA_DIR": str(data / "var"), "PYTHONUNBUFFERED": "1"})
    state_dir = REPO / ".langgraph_api"  # the in-memory runtime keeps its files here, in the working folder
    had_state = state_dir.exists()
    base = f"http://127.0.0.1:{port}"
    command = [cli, "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1", "--port", str(port)]
    try:
        with running(command, lambda: _request(f"{base}/ok", timeout=2) is not None, log, name="langgraph dev",
                     timeout_s=STARTUP_S, env=env, cwd=REPO):
            yield base
    finally:
        if not had_state:
            shutil.rmtree(state_dir, ignore_errors=True)


def _assistants(base: str) -> dict[str, dict[str, Any]]:
    found = _request(f"{base}/assistants/search", {"limit": 100, "offset": 0})
    return {a["graph_id"]: a for a in found}


@pytest.mark.slow
def test_studio_serves_every_graph(studio: str) -> None:
    assistants = _assistants(studio)
    assert EXPECTED <= set(assistants), f"served: {sorted(assistants)}"


@pytest.mark.slow
def test_studio_draws_the_supervisor(studio: str) -> None:
    supervisor = _assistants(studio)["supervisor"]
    drawing = _request(f"{studio}/assistants/{supervisor['assistant_id']}/graph")
    nodes = {n["id"] for n in drawing["nodes"]}
    assert SUPERVISOR_NODES <= nodes, f"nodes: {sorted(nodes)}"
    assert {"intake", "sourcing", "evaluation"} <= nodes
    edges = {(e["source"], e["target"]) for e in drawing["edges"]}
    assert ("planner", "executor") in edges
