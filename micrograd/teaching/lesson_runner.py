"""Read a lesson in the terminal: its text, its code, and each code cell's output right under it.

``micrograd lessons run N`` uses this.  A lesson is a jupytext "percent" script: ``# %% [markdown]``
starts a cell of text (each line commented out), ``# %%`` a cell of code.  The code runs as the
script would (one namespace, top to bottom) and tracebacks point at the lesson's own lines.  Code is
indented; what a cell prints follows it behind a bar, so an error a lesson demonstrates reads as part
of the lesson.
"""

from __future__ import annotations

import contextlib
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import TextIO

CODE_PREFIX = "    "
OUTPUT_PREFIX = "    │ "


@dataclass
class Cell:
    """One cell of a lesson: "markdown" or "code", the file's line number of its first line, its lines."""

    kind: str
    first_line: int
    lines: list[str] = field(default_factory=list)


def lesson_cells(path: str) -> list[Cell]:
    """The cells of the percent-format script at `path` (what comes before the first ``# %%`` is its header)."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    cells: list[Cell] = []
    for number, line in enumerate(lines, start=1):
        if line.startswith("# %%"):
            cells.append(Cell("markdown" if "[markdown]" in line else "code", number + 1))
        elif cells:
            cells[-1].lines.append(line)
    return cells


def _width(text: str) -> int:
    """Columns a terminal gives `text` (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def markdown_source(cell: Cell) -> list[str]:
    """A text cell's Markdown: its lines without the comment marks ('# ## Step 1' is '## Step 1')."""
    return [line[2:] if line.startswith("# ") else line.lstrip("#") for line in cell.lines]


def markdown_text(cell: Cell) -> str:
    """The cell's text without its comment marks; headings underlined (═ for #, ─ for ## and below)."""
    out = []
    for text in markdown_source(cell):
        if text.startswith("#"):
            level, title = len(text) - len(text.lstrip("#")), text.lstrip("#").strip()
            out += [title, ("═" if level == 1 else "─") * _width(title)]
        else:
            out.append(text)
    return "\n".join(out).strip()


def _trimmed(lines: list[str]) -> list[str]:
    """`lines` without the blank lines at either end."""
    text = "\n".join(lines).strip("\n")
    return text.split("\n") if text else []


class _Indented:
    """A stream that writes into `out` with OUTPUT_PREFIX at the start of every line."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.at_line_start, self.wrote = out, True, False

    def write(self, text: str) -> int:
        for piece in text.splitlines(keepends=True):
            if self.at_line_start:
                self.out.write(OUTPUT_PREFIX)
            self.out.write(piece)
            self.at_line_start, self.wrote = piece.endswith("\n"), True
        return len(text)

    def flush(self) -> None:
        self.out.flush()


def run_lesson(path: str, out: TextIO | None = None) -> None:
    """Print the lesson at `path`: each text cell; each code cell, then its output as it runs."""
    out = out or sys.stdout
    namespace = {"__name__": "__main__", "__file__": path}
    for cell in lesson_cells(path):
        if cell.kind == "markdown":
            out.write(markdown_text(cell) + "\n\n")
            continue
        out.write(
            "\n".join(CODE_PREFIX + line if line else "" for line in _trimmed(cell.lines)) + "\n\n"
        )
        # Blank lines in front keep the file's line numbers, so a traceback shows the lesson's own line.
        code = "\n" * (cell.first_line - 1) + "\n".join(cell.lines)
        printed = _Indented(out)
        with contextlib.redirect_stdout(printed):
            exec(compile(code, path, "exec"), namespace)
        if printed.wrote:
            out.write("\n" if printed.at_line_start else "\n\n")
