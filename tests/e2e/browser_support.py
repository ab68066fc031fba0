"""What the browser tests share: the Debian Chromium, the `hire` command, the app served as `make run` serves it."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from servers import free_port, running

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "test-results" / "e2e"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO = ("demo@hiring.local", "demo-recruiter")


def require_browser() -> None:
    """Chromium and Playwright, or a skip (a failure in CI)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI (Debian package chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium)")
    pytest.importorskip("playwright")


def app_env(data: Path, **settings: str) -> dict[str, str]:
    """The environment of an app on its own data folder, with no shared data and no demo pool of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIRE_")}
    env.update(HIRE_DATA_DIR=str(data), HF_HUB_OFFLINE="1", COLUMNS="200",
               HIRE_SHARED_DATA_DIR=str(data / "no-shared-data"), HIRE_DEMO_PROFILES="0", **settings)
    return env


def hire(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "app.cli", *args], env=env, capture_output=True, text=True,
                            timeout=600, cwd=REPO)
    assert result.returncode == 0, f"hire {' '.join(args)}:\n{result.stdout}\n{result.stderr}"


def answers(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200


@contextmanager
def serve(env: dict[str, str], data: Path) -> Iterator[str]:
    """`chainlit run app/ui.py` as `make run` starts it, on a free port; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).parent / "chainlit"), "run", "app/ui.py", "--headless", "--host",
               "127.0.0.1", "--port", str(port)]
    with running(command, lambda: answers(base + "/"), data / "app.log", name="the app", timeout_s=120,
                 env=env, cwd=REPO):
        yield base
