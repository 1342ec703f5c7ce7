"""Run a code cell as Jupyter runs it, without Jupyter: the browser classroom's kernel.

``run_cell(code, namespace)`` runs the cell's statements in `namespace` (one namespace per
lesson, so cells share variables) and returns what the cell shows, in order, as ``Output``s:

* what it prints (``"stream"``), standard output and standard error together;
* the value of its last line, if that line is an expression, by the richest picture the value
  has (IPython's display protocol: ``_repr_mimebundle_``, ``_repr_svg_``, ``_repr_html_``,
  ``_repr_png_``; else its repr).  A drawing shows as SVG, a replay as its HTML page, a
  matplotlib figure as PNG;
* what ``display(value)`` shows, at the point it is called (``display`` is in the namespace that
  ``new_namespace()`` makes, as in Jupyter);
* an error as its traceback (``"error"``), with the cell's own source lines and nothing of this
  module's frames.

The page (``classroom/``) calls this through Pyodide; CPython runs it the same way in the tests.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import linecache
import sys
import traceback
from dataclasses import dataclass
from typing import Any

PICTURES = ("image/svg+xml", "text/html", "image/png", "text/plain")
"""The MIME types a cell's value may be shown as, richest first."""
METHODS = {"image/svg+xml": "_repr_svg_", "text/html": "_repr_html_", "image/png": "_repr_png_"}


@dataclass
class Output:
    """One thing a cell shows.  `kind` is "stream" (printed text), "error" (a traceback) or a MIME
    type of PICTURES; `text` is the text, SVG or HTML, or for "image/png" the PNG in base64."""

    kind: str
    text: str


def picture(value: Any) -> Output:
    """`value` as Jupyter would show it: its richest picture of PICTURES."""
    bundle: dict[str, Any] = {}
    if hasattr(value, "_repr_mimebundle_"):
        shown = value._repr_mimebundle_()
        bundle = dict(shown[0] if isinstance(shown, tuple) else shown or {})
    for mime, method in METHODS.items():
        if mime not in bundle and hasattr(value, method):
            made = getattr(value, method)()
            if made is not None:
                bundle[mime] = made
    for mime in PICTURES:
        if bundle.get(mime) is not None:
            content = bundle[mime]
            if isinstance(content, bytes):
                content = base64.b64encode(content).decode("ascii")
            return Output(mime, content)
    return Output("text/plain", repr(value))


class _Shown:
    """The outputs of the cell being run: printed text joins the stream output before it."""

    def __init__(self) -> None:
        self.outputs: list[Output] = []

    def write(self, text: str) -> int:
        if self.outputs and self.outputs[-1].kind == "stream":
            self.outputs[-1].text += text
        elif text:
            self.outputs.append(Output("stream", text))
        return len(text)

    def flush(self) -> None:
        pass

    def show(self, value: Any) -> None:
        """sys.displayhook while the cell runs: a last line's value (None shows nothing, as in Jupyter)."""
        if value is not None:
            self.outputs.append(picture(value))


_running: list[_Shown] = []  # the cells being run, innermost last (a cell may run another)


def display(*values: Any) -> None:
    """Show each value under the cell, as Jupyter's display() does (outside a cell: print it)."""
    for value in values:
        if _running:
            _running[-1].show(value)
        else:
            print(repr(value))


def new_namespace(filename: str = "<cell>") -> dict[str, Any]:
    """A fresh namespace for a notebook's cells: a script's (__name__ is "__main__") with display()."""
    return {"__name__": "__main__", "__file__": filename, "display": display}


def run_cell(
    code: str, namespace: dict[str, Any], *, filename: str = "<cell>", first_line: int = 1
) -> list[Output]:
    """Run `code` in `namespace` as a notebook cell and return what it shows (see the module's doc).
    `filename` and `first_line` name the cell in tracebacks: line 1 of the cell is `first_line`."""
    shown = _Shown()
    source = "\n" * (first_line - 1) + code
    _remember(filename, first_line, code)
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as err:
        shown.outputs.append(
            Output("error", "".join(traceback.format_exception_only(type(err), err)))
        )
        return shown.outputs
    last = tree.body[-1:] if tree.body and isinstance(tree.body[-1], ast.Expr) else []
    body = ast.Module(body=tree.body[: len(tree.body) - len(last)], type_ignores=[])
    _running.append(shown)
    hook = sys.displayhook
    sys.displayhook = shown.show
    try:
        with contextlib.redirect_stdout(shown), contextlib.redirect_stderr(shown):
            exec(compile(body, filename, "exec"), namespace)
            if last:  # "single" mode shows the value: sys.displayhook
                exec(compile(ast.Interactive(body=last), filename, "single"), namespace)
    except BaseException as err:
        shown.outputs.append(Output("error", _traceback(err)))
    finally:
        sys.displayhook = hook
        _running.pop()
    return shown.outputs


def _remember(filename: str, first_line: int, code: str) -> None:
    """Put the cell's lines where tracebacks read source (linecache), at their line numbers in
    `filename`, beside the other cells of the same file: a traceback through a function an
    earlier cell defined quotes that cell's line too."""
    known = linecache.cache.get(filename)
    lines = list(known[2]) if known and known[1] is None else []
    cell = code.splitlines(keepends=True)
    end = first_line - 1 + len(cell)
    lines += ["\n"] * (end - len(lines))
    lines[first_line - 1 : end] = [line if line.endswith("\n") else line + "\n" for line in cell]
    linecache.cache[filename] = (sum(map(len, lines)), None, lines, filename)


def _traceback(err: BaseException) -> str:
    """The traceback from the cell's own frame on: this module's frame left out."""
    frames = err.__traceback__.tb_next if err.__traceback__ is not None else None
    return "".join(traceback.format_exception(type(err), err, frames))


__all__ = ["Output", "run_cell", "new_namespace", "display", "picture", "PICTURES"]
