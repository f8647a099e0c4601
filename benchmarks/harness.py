"""What every benchmark shares: a declared measure, medians of repeats, JSON results, ratios.

A benchmark script declares a :class:`Measure` (its configuration, seeds and number of
repeats), times what it measures with :func:`timed` (the median of the repeats, with min and
max), and calls :func:`record`, which prints each figure next to the last recorded one (the
JSON file of the same name in ``benchmarks/results/``, as committed) with their ratio, then
writes the new JSON there. ``python benchmarks/report.py`` turns the JSON files into the
README's Performance table. No test asserts a timing: the figures are for people.

Wall times on a shared machine are noisy: compare figures taken in the same run of a script
(paired), and quote medians.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Measure:
    """A declared benchmark: what runs, with which seeds, how many times.

    Attributes:
        name: the JSON file's stem in ``benchmarks/results/``.
        description: one sentence: what is timed.
        config: the configuration (Hydra overrides and any other setting).
        seeds: the seeds used.
        repeats: each figure is the median of this many repeats.
        target: the figure that the project aims for, in words (optional).
    """

    name: str
    description: str
    config: dict
    seeds: list[int]
    repeats: int
    target: str = ""
    figures: dict = field(default_factory=dict)


def timed(fn: Callable[[], object], repeats: int, warmup: int = 1) -> dict:
    """Wall seconds of ``fn()``: median, min and max of ``repeats`` calls after ``warmup``."""
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return summary(runs, "s")


def summary(values: list[float], unit: str, better: str = "lower") -> dict:
    """A figure from repeated values: median, min, max, the values, unit, direction."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "values": values, "unit": unit, "better": better}


def single(value: float, unit: str, better: str = "lower") -> dict:
    """A figure computed once (e.g. a ratio of two medians)."""
    return summary([value], unit, better)


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict:
    """What the figures were measured on."""
    import numpy

    return {"cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
            else os.cpu_count(), "python": platform.python_version(),
            "numpy": numpy.__version__, "platform": platform.platform()}


def previous(name: str) -> dict | None:
    """The last recorded results of a measure (None if never recorded)."""
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def record(measure: Measure, figures: dict[str, dict]) -> Path:
    """Print the figures with their ratio to the last recorded ones, then write the JSON."""
    old = (previous(measure.name) or {}).get("figures", {})
    print(f"\n{measure.name}: {measure.description}")
    print(f"  {'figure':<34} {'median':>12} {'min–max':>21} {'last':>10} {'ratio':>7}")
    for key, fig in figures.items():
        last = old.get(key, {}).get("median")
        ratio = f"{fig['median'] / last:7.2f}" if last else "      –"
        last_s = f"{last:10.4g}" if last is not None else "         –"
        spread = f"{fig['min']:.4g}–{fig['max']:.4g}"
        print(f"  {key:<34} {fig['median']:>12.4g} {spread:>21} {last_s} {ratio}  {fig['unit']}")
    data = asdict(measure)
    data["figures"] = figures
    data.update(date=datetime.now(UTC).strftime("%Y-%m-%d"), commit=_commit(), machine=machine())
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{measure.name}.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"  written {path.relative_to(ROOT)}")
    return path


@contextmanager
def revision(rev: str):
    """A checkout of git revision ``rev`` in a temporary folder (for paired measurements).

    Yields the folder; a child Python process with it first on ``PYTHONPATH`` imports that
    revision's ``simulation`` package with this environment's libraries.
    """
    with tempfile.TemporaryDirectory(prefix="bench-rev-") as tmp:
        where = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(where), rev],
                       cwd=ROOT, check=True)
        try:
            yield where
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(where)], cwd=ROOT,
                           check=False)


def child(code: str, *args: str, path: Path | None = None, threads: int | None = None
          ) -> dict:
    """Run ``code`` in a fresh Python process (``path`` first on its import path); its last
    line of output is JSON, returned."""
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = str(path)
    if threads is not None:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(threads)
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, cwd=str(path or ROOT))
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])
