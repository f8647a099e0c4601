"""Regenerate the behavioural-parameter table of docs/ODD.md from the typed schema.

Usage: .venv/bin/python docs/make_parameter_table.py   (rewrites the block between the markers)
"""

from pathlib import Path

from simulation.config import parameter_table

ODD = Path(__file__).with_name("ODD.md")
BEGIN, END = "<!-- parameters:begin -->", "<!-- parameters:end -->"


def _num(v: object) -> str:
    if v is None:
        return "–"
    if isinstance(v, float) and (abs(v) >= 1e5 or (v != 0 and abs(v) < 1e-3)):
        return f"{v:.3g}"
    return f"{v:g}" if isinstance(v, float) else str(v)


def table() -> str:
    """The parameter table as Markdown."""
    lines = ["| key | default | range | unit | source |", "|---|---|---|---|---|"]
    for r in parameter_table():
        default = r["default"]
        if isinstance(default, dict):
            default = ", ".join(f"{k}: {_num(v)}" for k, v in default.items())
        else:
            default = _num(default)
        key = r["key"].removeprefix("params.")
        lines.append(f"| `{key}` | {default} | [{_num(r['min'])}, {_num(r['max'])}] | "
                     f"{r['unit']} | {r['source']} |")
    return "\n".join(lines)


def render(text: str) -> str:
    """The ODD text with the generated table between the markers."""
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


if __name__ == "__main__":
    ODD.write_text(render(ODD.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {ODD}")
