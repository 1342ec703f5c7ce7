"""Renderers: what turns a drawing's DOT text into a picture (SVG, PNG or PDF bytes).

``draw()`` only writes DOT, Graphviz's language for graphs.  Laying the graph out is Graphviz's
work, and two builds of it can do it:

* ``dot_program``: the ``dot`` program, run as a subprocess with a time limit.  Used where
  Python runs on a computer (Jupyter, a terminal); it must be installed (INSTALL_HINT says how).
* ``graphviz_wasm``: Graphviz compiled to WebAssembly (the npm package ``@viz-js/viz``), called
  through Pyodide's ``js`` module.  Used where Python itself runs in a browser
  (``sys.platform == "emscripten"``): the browser classroom's page creates the instance with
  ``await Viz.instance()`` and puts it at ``globalThis.microgradGraphviz`` before running Python.

A renderer is a plain function ``(dot_source, fmt) -> bytes`` that raises RuntimeError with a
one-line reason when it cannot draw.  ``current()`` is the one in use: the one given to
``use()``, or else the one for this platform.  ``use(my_renderer)`` plugs in another.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import Callable, Optional

Renderer = Callable[[str, str], bytes]

INSTALL_HINT = (
    "the Graphviz 'dot' program is needed to render drawings: install it with "
    "'sudo apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS) "
    "or 'conda install graphviz'"
)

DOT_TIMEOUT = 60.0
"""Seconds dot may take to lay a graph out before micrograd gives up and says so."""


def dot_program(source: str, fmt: str) -> bytes:
    """Run Graphviz's ``dot -T<fmt>`` on `source`, with a time limit and its errors in one line."""
    if shutil.which("dot") is None:
        raise RuntimeError(INSTALL_HINT)
    try:
        done = subprocess.run(
            ["dot", f"-T{fmt}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(
            f"dot did not finish laying out the graph within {DOT_TIMEOUT:.0f} s: draw a smaller "
            "graph (fewer operations, or view='tensor')"
        ) from None
    if done.returncode != 0:
        first = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0]
        raise RuntimeError(f"dot could not draw the graph: {first}")
    return done.stdout


WASM_GLOBAL = "microgradGraphviz"
"""Where the page puts its @viz-js/viz instance (``globalThis.microgradGraphviz``)."""


def graphviz_wasm(source: str, fmt: str) -> bytes:
    """Lay `source` out with @viz-js/viz, Graphviz compiled to WebAssembly, in the page running
    this Python (Pyodide).  It writes text formats only: SVG, not PNG or PDF."""
    if fmt != "svg":
        raise RuntimeError(
            f"in the browser, drawings are rendered to SVG only (Graphviz in WebAssembly "
            f"writes no {fmt.upper()}): use a file name ending in .svg"
        )
    import js  # Pyodide's bridge to the page's JavaScript

    viz = getattr(js, WASM_GLOBAL, None)
    if viz is None:
        raise RuntimeError(
            f"this page has no Graphviz: it must load @viz-js/viz and set "
            f"globalThis.{WASM_GLOBAL} = await Viz.instance() before running Python"
        )
    result = viz.render(source, js.Object.fromEntries([["format", "svg"], ["engine", "dot"]]))
    if result.status != "success":
        messages = [error.message for error in result.errors] or ["no message"]
        raise RuntimeError(f"Graphviz could not draw the graph: {messages[0].strip()}")
    return str(result.output).encode("utf-8")


_chosen: Optional[Renderer] = None


def for_platform() -> Renderer:
    """The renderer this platform has: Graphviz in WebAssembly in a browser, else the dot program."""
    return graphviz_wasm if sys.platform == "emscripten" else dot_program


def current() -> Renderer:
    """The renderer in use: the one passed to ``use()``, else ``for_platform()``."""
    return _chosen or for_platform()


def use(renderer: Optional[Renderer]) -> None:
    """Render drawings with `renderer` from now on (a function (dot_source, fmt) -> bytes that raises
    RuntimeError when it cannot draw); ``use(None)`` goes back to the platform's own."""
    global _chosen
    if renderer is not None and not callable(renderer):
        raise TypeError(
            f"a renderer is a function (dot_source, fmt) -> bytes, got {type(renderer).__name__}"
        )
    _chosen = renderer


__all__ = [
    "Renderer",
    "dot_program",
    "graphviz_wasm",
    "current",
    "for_platform",
    "use",
    "INSTALL_HINT",
    "DOT_TIMEOUT",
    "WASM_GLOBAL",
]
