"""The browser classroom's kernel (micrograd.teaching.cell_runner), run here by CPython: cells show what Jupyter shows."""

import base64
import shutil

import pytest

import micrograd as mg
from micrograd.teaching.cell_runner import Output, new_namespace, run_cell


def kinds(outputs):
    return [o.kind for o in outputs]


def test_printed_text_then_the_last_lines_value_and_cells_share_a_namespace():
    namespace = new_namespace()
    assert run_cell("x = 20\nprint('x is', x)\nprint('twice', 2 * x)", namespace) == [
        Output("stream", "x is 20\ntwice 40\n")
    ]
    assert run_cell("y = x + 1\ny * 2", namespace) == [Output("text/plain", "42")]
    assert run_cell("z = y", namespace) == [] and run_cell("None", namespace) == []
    assert run_cell("print('a')\ndisplay(1, 'b')\nprint('c')", namespace) == [
        Output("stream", "a\n"),
        Output("text/plain", "1"),
        Output("text/plain", "'b'"),
        Output("stream", "c\n"),
    ]


def test_an_error_shows_the_cells_own_line_and_nothing_of_the_runner():
    namespace = new_namespace()
    outputs = run_cell(
        "a = 1\nb = 0\nprint('before')\na / b", namespace, filename="lesson.py", first_line=30
    )
    assert kinds(outputs) == ["stream", "error"]
    error = outputs[1].text
    assert (
        'File "lesson.py", line 33' in error
        and "a / b" in error
        and error.endswith("ZeroDivisionError: division by zero\n")
    )
    assert "cell_runner" not in error and "exec(" not in error
    syntax = run_cell("x = (1,", namespace, filename="lesson.py", first_line=7)
    assert (
        kinds(syntax) == ["error"]
        and "SyntaxError" in syntax[0].text
        and "line 7" in syntax[0].text
    )


def test_pictures_are_the_richest_a_value_has():
    class Both:
        def _repr_png_(self):
            return b"\x89PNG-bytes"

        def _repr_html_(self):
            return "<b>html</b>"

    class Png:
        def _repr_png_(self):
            return b"\x89PNG-bytes"

    namespace = new_namespace()
    namespace.update(Both=Both, Png=Png)
    assert run_cell("Both()", namespace) == [Output("text/html", "<b>html</b>")]
    png = run_cell("Png()", namespace)[0]
    assert png.kind == "image/png" and base64.b64decode(png.text) == b"\x89PNG-bytes"


@pytest.mark.skipif(
    shutil.which("dot") is None, reason="rendering needs Graphviz's dot (./dev installs it)"
)
def test_a_drawing_shows_as_svg_and_a_replay_as_its_page():
    namespace = new_namespace()
    outputs = run_cell(
        "from micrograd import Value, draw, replay\nx = Value(2.0)\nf = x**2 * x.exp()\n"
        "display(replay(f))\nf.backward()\ndraw(f)",
        namespace,
    )
    assert kinds(outputs) == ["text/html", "image/svg+xml"]
    assert outputs[0].text.startswith("<iframe srcdoc=") and "step" in outputs[0].text
    assert (
        outputs[1].text.count("<ellipse") == 4 and "grad 59.11" in outputs[1].text
    )  # (2x + x²)eˣ at 2 is 8e²
    assert isinstance(namespace["f"], mg.Value)


def test_a_traceback_quotes_the_lines_of_every_cell_it_passes_through():
    namespace = new_namespace()
    assert (
        run_cell("def half(x):\n    return x / 0", namespace, filename="lesson.py", first_line=10)
        == []
    )
    assert run_cell("print('other cell')", namespace, filename="lesson.py", first_line=20)
    error = run_cell("y = 1\nhalf(y)", namespace, filename="lesson.py", first_line=30)[0].text
    assert 'File "lesson.py", line 31' in error and "half(y)" in error
    assert 'File "lesson.py", line 11, in half' in error and "return x / 0" in error
