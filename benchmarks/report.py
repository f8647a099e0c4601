"""Regenerate the README's Performance table from the recorded benchmark results (JSON).

Usage: python benchmarks/report.py   (rewrites the block between the markers in README.md)
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RESULTS = Path(__file__).resolve().parent / "results"
BEGIN, END = "<!-- performance:begin -->", "<!-- performance:end -->"


def _num(x: float) -> str:
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def _figure(fig: dict) -> str:
    text = f"{_num(fig['median'])} {fig['unit']}"
    if len(fig["values"]) > 1:
        text += f" ({_num(fig['min'])}–{_num(fig['max'])})"
    return text


def table(results: Path = RESULTS) -> str:
    """The Performance table as Markdown: one row per figure of every recorded measure."""
    lines = ["| measure | figure | median (min–max) | repeats | target | recorded |",
             "|---|---|---|---|---|---|"]
    for path in sorted(results.glob("*.json")):
        m = json.loads(path.read_text(encoding="utf-8"))
        first = True
        for key, fig in m["figures"].items():
            name = f"**{m['name']}**: {m['description']}" if first else ""
            target = m.get("target", "") if first else ""
            when = f"{m['date']}, {m['commit']}, {m['machine']['cores']} cores" if first else ""
            lines.append(f"| {name} | `{key}` | {_figure(fig)} | {len(fig['values'])} | "
                         f"{target} | {when} |")
            first = False
    return "\n".join(lines)


def render(text: str, results: Path = RESULTS) -> str:
    """The README text with the generated table between the markers."""
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table(results)}\n{END}{tail}"


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated the Performance table of {README.relative_to(ROOT)}")
