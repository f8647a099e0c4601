"""How numbers and tables are written, in English or Vietnamese, in figures, reports and pages.

English groups thousands with a comma and uses a decimal point (``12,345.6``); Vietnamese the
other way round (``12.345,6``). Every formatter of the project builds on :func:`fixed` and
:func:`localise`; text is returned in Unicode NFC (precomposed diacritics), which DejaVu Sans
and browsers render reliably.
"""

from __future__ import annotations

import math
import unicodedata

import pandas as pd

MISSING = "–"  # written for a missing or undefined number


def nfc(text: object) -> str:
    """Text in Unicode NFC form (precomposed diacritics render reliably)."""
    return unicodedata.normalize("NFC", str(text))


def localise(text: str, lang: str) -> str:
    """Swap the thousands and decimal separators of an English number for Vietnamese."""
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "vi" \
        else text


def fixed(value: float, digits: int = 0, lang: str = "en", signed: bool = False) -> str:
    """A number with ``digits`` decimals and thousands separators (``+`` shown if ``signed``)."""
    return localise(f"{value:{'+' if signed else ''},.{digits}f}", lang)


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def number(value: float | None, lang: str = "en", digits: int = 0, signed: bool = False) -> str:
    """A number for a page: ``–`` when missing, never ``-0`` or ``+0``."""
    if _missing(value):
        return MISSING
    if round(value, digits) == 0:
        return localise(f"{0:.{digits}f}", lang)
    return fixed(value, digits, lang, signed)


def tick(value: float, lang: str = "en") -> str:
    """An axis tick: thousands separators, a decimal only where needed, no ``-0``."""
    if abs(value) < 1e-9:
        return "0"
    if abs(value) >= 10:
        return fixed(value, 0, lang)
    return localise(f"{value:,.2f}".rstrip("0").rstrip("."), lang)


def compact(value: float, lang: str = "en") -> str:
    """Short form for labels on maps and cells: ``8.2k``/``1.3m`` (en), ``8,2 nghìn`` (vi)."""
    a = abs(value)
    for size, en, vi in ((1e6, "m", " triệu"), (1e3, "k", " nghìn")):
        if a >= size:
            text = fixed(value / size, 1 if a < 100 * size else 0, lang)
            return text + (vi if lang == "vi" else en)
    return fixed(value, 0 if a >= 10 or a == 0 else 1, lang)


def readable(x: float | None) -> str:
    """A number in a report: fewer decimals for larger values (``12,345``, ``12.3``, ``0.12``)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    a = abs(x)
    if a >= 100 or a == 0:
        return fixed(x, 0)
    return fixed(x, 1) if a >= 1 else f"{x:.2f}"


def percent(x: float | None) -> str:
    """A relative change as a signed percentage (``–`` when undefined)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    return f"{x:+.1%}".replace("%", " %")


def level_text(level: float) -> str:
    """An interval's coverage as text, e.g. ``90 %``."""
    return f"{level * 100:g} %"


def markdown_table(df: pd.DataFrame, align: bool = True) -> str:
    """A DataFrame as a Markdown table (first column left-aligned, others right, if ``align``)."""
    head = "| " + " | ".join(str(c) for c in df.columns) + " |"
    if align:
        sep = "|" + "|".join(":---" if i == 0 else "---:" for i in range(len(df.columns))) + "|"
    else:
        sep = "|" + "|".join("---" for _ in df.columns) + "|"
    rows = ["| " + " | ".join(str(v) for v in r) + " |" for r in df.itertuples(index=False)]
    return "\n".join([head, sep, *rows])


def text_table(table: pd.DataFrame, digits: dict[str, int]) -> str:
    """A table of numbers for the terminal (``digits`` decimals by column, 0 otherwise)."""
    out = table.copy()
    for col in out.columns:
        d = digits.get(col, 0)
        out[col] = out[col].map(lambda v, d=d: MISSING if pd.isna(v) else f"{v:,.{d}f}")
    return out.to_string()
