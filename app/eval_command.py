"""``hire eval``: the measurement across occupations (``python -m eval.occupations``), from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer


def run_eval(
    small: Annotated[bool, typer.Option("--small", help="One request per occupation group, a small pool.")] = False,
    out: Annotated[Path | None, typer.Option(help="Where to write the JSON report (default var/eval/).")] = None,
    shortlist: Annotated[bool, typer.Option(help="Build the generated pool and measure the shortlists.")] = True,
) -> None:
    """Measure judgement across occupations: intake field accuracy, checkable qualifications, shortlist occupation
    precision@10 on a generated pool, skill extraction; exits 1 when a threshold is missed."""
    args = [sys.executable, "-m", "eval.occupations", *(["--small"] if small else []),
            *(["--out", str(out)] if out else []), *([] if shortlist else ["--no-shortlist"])]
    # the measurement lives in the eval package, a layer above the app: it runs as a process of its own
    raise typer.Exit(subprocess.run(args, check=False).returncode)
