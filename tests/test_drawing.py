"""Drawings: the rendered SVG is parsed to count ellipses and rectangles and read the labels."""

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import micrograd as mg
from micrograd import Value, drawing
from micrograd.autograd import forward_ad

SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="rendering needs Graphviz's dot (./dev installs it)"
)


def shapes(svg_text):
    """(number of ellipses, number of rectangles, texts of every node) from real SVG."""
    root = ET.fromstring(svg_text)
    ellipses = rectangles = 0
    texts = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        if group.find(f"{SVG}ellipse") is not None:
            ellipses += 1
        elif group.find(f"{SVG}polygon") is not None:
            rectangles += 1
        texts.append([t.text or "" for t in group.iter(f"{SVG}text")])
    return ellipses, rectangles, texts


def wx_plus_b():
    w, x, b = Value(2.0, label="w"), Value(3.0, label="x"), Value(1.0, label="b")
    y = w * x
    y.label = "y"
    z = y + b
    z.label = "z"
    return w, x, b, z


@needs_dot
def test_z_equals_wx_plus_b_is_five_ellipses_and_two_rectangles_with_values_and_grads():
    w, x, b, z = wx_plus_b()
    z.backward()
    ellipses, rectangles, texts = shapes(drawing.svg(mg.draw(z)))
    assert (ellipses, rectangles) == (5, 2)
    by_label = {lines[0]: lines[1:] for lines in texts}
    assert by_label["w"] == ["data 2", "grad 3"] and by_label["x"] == ["data 3", "grad 2"]
    assert by_label["z"] == ["data 7", "grad 1"] and {"*", "+"} <= set(by_label)


@needs_dot
def test_dot_product_in_both_views():
    u = mg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = mg.tensor([4.0, 5.0, 6.0], requires_grad=True)
    y = mg.dot(u, v)
    assert shapes(drawing.svg(mg.draw(y, view="tensor")))[:2] == (3, 1)
    assert shapes(drawing.svg(mg.draw(y, view="scalar")))[:2] == (
        11,
        5,
    )  # 6 inputs, 3 products, 2 sums
    y.backward()
    texts = shapes(drawing.svg(mg.draw(y, view="tensor")))[2]
    assert ["shape (3,)", "data 1, 2, 3", "grad 4, 5, 6"] in texts and ["dot"] in texts


@needs_dot
def test_custom_function_is_one_rectangle_named_after_its_class():
    class Square(mg.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x

    y = Square.apply(mg.tensor([1.0, 2.0], requires_grad=True))
    ellipses, rectangles, texts = shapes(drawing.svg(mg.draw(y, view="tensor")))
    assert (ellipses, rectangles) == (2, 1) and ["Square"] in texts


def test_styles_tell_leaves_constants_parameters_and_root_apart():
    w, x, b, z = wx_plus_b()
    source = mg.draw(z * 2, params=[w], legend=True).source
    assert source.count('fillcolor="#bbf7d0"') >= 2  # the parameter w, and its legend entry
    assert "dashed" in source and "bold" in source and "cluster_legend" in source


@needs_dot
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30
    ).filter(lambda s: s.strip() == s and "  " not in s)
)
def test_any_label_renders_as_typed_and_cannot_inject(label):
    v = Value(1.0, label=label)
    out = v * 2
    source = mg.draw(out).source
    assert source.count("->") == 2  # v -> *2 -> out: the label added no edges
    texts = shapes(drawing.svg(mg.draw(out)))[2]
    assert [label, "data 1", "grad 0"] in texts and ["*2"] in texts


def test_max_nodes_refuses_a_big_graph_with_a_hint():
    x = Value(1.0)
    y = x
    for _ in range(200):
        y = y * 1.01
    with pytest.raises(
        ValueError, match=r"the graph has \d+ nodes, more than max_nodes=300"
    ) as refused:
        mg.draw(y, max_nodes=300)
    size = int(re.search(r"the graph has (\d+) nodes", str(refused.value)).group(1))
    assert size == 401  # 201 Values, 200 operations (*1.01: the number is in the box)
    assert "digraph" in mg.draw(y, max_nodes=size).source  # the advice given works at once
    with pytest.raises(ValueError):
        mg.draw(y, max_nodes=size - 1)


@needs_dot
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        st.characters(whitelist_categories=("Cc", "Zl", "Zp", "Lu", "Po")), min_size=1, max_size=12
    )
)
def test_labels_with_control_characters_give_valid_svg_and_a_working_replay_page(label):
    import xml.dom.minidom

    v = Value(1.0, label=label + "<!--<script>")
    out = v * 2
    picture = drawing.svg(mg.draw(out))
    xml.dom.minidom.parseString(picture.encode("utf-8"))  # valid XML
    page = mg.replay(out)
    script = page[page.index("<script>") :]
    assert "<!--" not in script and script.count("<script") == 1 and "</script" in script


def test_forward_mode_tangents_appear_on_the_nodes():
    with forward_ad.dual_level():
        x = forward_ad.make_dual(Value(2.0), 1.0)
        y = x * x
        source = mg.draw(y).source
    assert "tangent 4" in source and "tangent 1" in source


def test_without_dot_the_source_is_built_and_rendering_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    z = wx_plus_b()[3]
    assert "digraph" in mg.draw(z).source
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        mg.render(mg.draw(z), str(tmp_path / "g.svg"))


def test_bad_options_are_refused():
    z = wx_plus_b()[3]
    with pytest.raises(ValueError, match="rankdir"):
        mg.draw(z, rankdir="XY")
    with pytest.raises(ValueError, match="view='tensor' draws Tensors"):
        mg.draw(z, view="tensor")
    with pytest.raises(ValueError, match=".svg, .png or .pdf"):
        mg.render(mg.draw(z), "graph.gif")


@needs_dot
@pytest.mark.parametrize(
    "extension, magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")]
)
def test_render_writes_the_format_of_the_extension(tmp_path, extension, magic):
    path = tmp_path / f"graph.{extension}"
    mg.render(mg.draw(wx_plus_b()[3]), str(path))
    assert path.read_bytes().startswith(magic)


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "micrograd", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(__file__))},
    )


@needs_dot
def test_micrograd_draw_writes_the_graph_and_the_replay(tmp_path):
    done = run_cli(
        "draw",
        "x**2 * exp(x)",
        "--at",
        "x=1.5",
        "-o",
        str(tmp_path / "g.svg"),
        "--steps",
        str(tmp_path / "r.html"),
    )
    assert done.returncode == 0 and "df/dx = 23.5289" in done.stdout
    ellipses, rectangles, _ = shapes((tmp_path / "g.svg").read_text())
    assert (ellipses, rectangles) == (4, 3)
    assert "<svg" in (tmp_path / "r.html").read_text()


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('touch pwned')",
        "x.__class__",
        "open('f')",
        "y + 1",
        "x ** 100000",
        "2 ** 2 ** 2 ** 2",
        "(lambda: 1)()",
        "x" * 600,
        "[x for x in ()]",
        "x; import os",
        "'a' * 3",
        "x if x else 1",
    ],
)
def test_micrograd_draw_refuses_what_is_not_a_plain_formula(text, tmp_path):
    done = run_cli("draw", text, "--at", "x=1", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "pwned").exists()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_evaluated_or_refused_in_one_line(text):
    from micrograd.teaching.expression import ExpressionError, evaluate, parse

    try:
        tree = parse(text, ["x"])
    except ExpressionError as err:
        assert "\n" not in str(err)
        return
    result = evaluate(tree, {"x": Value(0.5)})
    assert isinstance(result, Value)


def test_backward_steps_follow_reverse_topological_order_with_final_gradients():
    w, x, b, z = wx_plus_b()
    steps = mg.teaching.replay.backward_steps(z)
    order = [v.label for v, _ in steps]
    assert (
        order[0] == "z"
        and order.index("y") < order.index("w")
        and order.index("y") < order.index("x")
    )
    assert dict((v.label, g) for v, g in steps) == {
        "z": 1.0,
        "y": 1.0,
        "b": 1.0,
        "w": 3.0,
        "x": 2.0,
    }
    assert w.grad == 0.0  # the replay leaves .grad alone


@pytest.mark.browser
@pytest.mark.slow
@needs_dot
def test_replay_page_in_headless_chromium(tmp_path):
    in_ci = os.environ.get("MICROGRAD_CI") == "1"  # there ./dev test installed both
    missing = pytest.fail if in_ci else pytest.skip
    try:
        from playwright import sync_api as playwright
    except ImportError:
        missing("playwright is not installed (./dev test installs it)")
    if not os.path.exists("/usr/bin/chromium"):
        missing("Debian's chromium is not installed (./dev test installs it)")
    w, x, b, z = wx_plus_b()
    grads_by_name = {"w": "3", "x": "2"}  # ∂z/∂w = x = 3, ∂z/∂x = w = 2
    page_path = tmp_path / "replay.html"
    mg.replay(z, str(page_path))
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.goto(page_path.as_uri())
        assert page.inner_text("#position") == "step 1 of 5"
        assert page.inner_text("#caption") == "∂z/∂z = 1: the seed that starts the backward pass"
        current = page.locator("g.node.current text").all_text_contents()
        assert current[0] == "z" and "grad 1" in current
        for _ in range(4):
            page.click("#next")
        assert page.inner_text("#position") == "step 5 of 5"
        last = page.inner_text("#caption").splitlines()  # w or x, whichever comes last: z = w·x + b
        name, other = ("w", "x") if last[0].startswith("∂z/∂w") else ("x", "w")
        assert last == [
            f"∂z/∂{name} = ∂z/∂y · ∂y/∂{name}",
            f"= 1 · {grads_by_name[name]} = {grads_by_name[name]}",
        ]
        grads = {
            texts[0]: texts[-1]
            for texts in (page.locator(f"#v{i} text").all_text_contents() for i in range(5))
        }
        assert grads == {"z": "grad 1", "y": "grad 1", "b": "grad 1", "w": "grad 3", "x": "grad 2"}
        page.click("#previous")
        assert page.inner_text("#position") == "step 4 of 5"
        assert (
            page.locator("#v4 text").all_text_contents()[-1] == "grad ?"
        )  # step 5 is not reached yet
        assert page.locator("#v3.current").count() == 1
        page.screenshot(path=str(tmp_path / "replay.png"))
        browser.close()
    assert (tmp_path / "replay.png").stat().st_size > 1000


@needs_dot
def test_dot_runs_with_a_time_limit_and_says_so_in_one_line(monkeypatch):
    monkeypatch.setattr(drawing.renderers, "DOT_TIMEOUT", 1e-4)
    with pytest.raises(RuntimeError, match=r"dot did not finish laying out the graph within 0 s"):
        drawing.svg(mg.draw(Value(1.0) * 2))


def test_symbols_are_the_same_in_both_views_whatever_the_number_type():
    x = Value(3.0)
    t = mg.tensor([1.0, 2.0], requires_grad=True)
    scalar = [(x**2)._op, (x**2.0)._op]
    tensor = []
    for y in ((t**2).sum(), (t**2.0).sum(), t.square().sum()):
        tensor += re.findall(r'label="(\*\*[^"]*)"', mg.draw(y, view="tensor").source)
    assert scalar == ["**2", "**2"] and tensor == ["**2", "**2", "**2"]


# --- big graphs drawn legibly: defaults, direction, boxes for module calls ---------------------------
def boxes(svg_text):
    """{cluster label: [its bounding boxes]} and [(node texts, (x, y) centre)] from real SVG."""
    root = ET.fromstring(svg_text)
    found, nodes = {}, []

    def bounds(group):  # a rounded box is a path of x,y points
        numbers = [float(n) for n in re.findall(r"-?[\d.]+", group.find(f"{SVG}path").get("d"))]
        xs, ys = numbers[0::2], numbers[1::2]
        return min(xs), min(ys), max(xs), max(ys)

    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "cluster":
            found.setdefault(group.find(f"{SVG}text").text, []).append(bounds(group))
        elif group.get("class") == "node" and group.find(f"{SVG}ellipse") is not None:
            e = group.find(f"{SVG}ellipse")
            nodes.append(
                (
                    [t.text for t in group.iter(f"{SVG}text")],
                    (float(e.get("cx")), float(e.get("cy"))),
                )
            )
    return found, nodes


def svg_size(svg_text):
    root = ET.fromstring(svg_text)
    return float(root.get("width").rstrip("pt")), float(root.get("height").rstrip("pt"))


@needs_dot
def test_a_100_step_loop_draws_with_the_defaults_top_to_bottom_with_numbers_in_the_boxes():
    y = Value(0.5, label="x")
    for _ in range(100):
        y = y * 1.01 + 0.1
    y.backward()
    made = mg.draw(y)  # 401 shapes: within the default limit
    assert "rankdir=TB" in made.source  # deep: top to bottom, so a notebook scrolls it
    picture = drawing.svg(made)
    ellipses, rectangles, texts = shapes(picture)
    assert (ellipses, rectangles) == (201, 200)  # no ellipse per constant 1.01 or 0.1
    assert texts.count(["*1.01"]) == 100 and texts.count(["+0.1"]) == 100
    width, height = svg_size(picture)
    assert width < 400 < 20_000 < height  # one column, at full size: the text stays legible
    small = mg.draw(Value(2.0) * 3 + 1)
    assert "rankdir=LR" in small.source  # shallow graphs stay left to right


def karpathy_mlp_loss(examples):
    import random

    random.seed(0)
    model = mg.nn.MLP(3, [4, 4, 1])
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]][:examples]
    ys = [1.0, -1.0, -1.0, 1.0][:examples]
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
    loss.backward()
    return model, loss


@needs_dot
def test_an_mlp_is_drawn_with_a_box_per_neuron_layer_and_mlp_call_holding_its_weights():
    model, loss = karpathy_mlp_loss(1)
    found, nodes = boxes(drawing.svg(mg.draw(loss)))
    assert {name: len(b) for name, b in found.items()} == {
        "MLP": 1,
        "Layer": 3,
        "ReLUNeuron(3)": 4,
        "ReLUNeuron(4)": 4,
        "LinearNeuron(4)": 1,
    }
    mlp = found["MLP"][0]
    for neuron_box in found["ReLUNeuron(3)"] + found["ReLUNeuron(4)"]:
        x0, y0, x1, y1 = neuron_box
        assert (
            mlp[0] <= x0 and x1 <= mlp[2] and mlp[1] <= y0 and y1 <= mlp[3]
        )  # nested in the MLP's box
    for neuron in model.layers[0].neurons:  # each neuron's weights sit in a box of their own neuron
        for w in neuron.w:
            text = f"data {w.data:.4g}"
            ((cx, cy),) = [centre for texts, centre in nodes if texts[0] == text]
            assert any(
                x0 < cx < x1 and y0 < cy < y1 for x0, y0, x1, y1 in found["ReLUNeuron(3)"]
            ), text


@needs_dot
def test_the_small_mlp_loss_of_karpathys_lecture_draws_with_the_defaults():
    _, loss = karpathy_mlp_loss(4)
    picture = drawing.svg(mg.draw(loss))  # refused with max_nodes=300 before
    found, _ = boxes(picture)
    assert len(found["MLP"]) == 4 and len(found["ReLUNeuron(3)"]) == 16  # one box per call
    assert "cluster" not in mg.draw(loss, grouped=False).source


def test_torch_style_modules_are_boxed_too():
    net = mg.nn.Sequential(mg.nn.Linear(2, 2), mg.nn.ReLU(), mg.nn.Linear(2, 1))
    out = net(mg.tensor([[1.0, -2.0]])).sum()
    source = mg.draw(out).source
    assert source.count("subgraph cluster") == 4  # Sequential, Linear, ReLU, Linear
    for name in ("Sequential", "Linear", "ReLU()"):
        assert re.search(f'label="?{re.escape(name)}"? ', source), name


@needs_dot
def test_replay_is_short_in_a_repl_and_inline_in_jupyter(tmp_path):
    x = Value(2.0, label="x")
    y = x * x
    page = mg.replay(y)
    assert repr(page) == "<backward replay: 2 steps (pass a path to write it)>"
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page  # still the page's text
    written = mg.replay(y, str(tmp_path / "r.html"))
    assert repr(written) == f"<backward replay: 2 steps, written to {tmp_path / 'r.html'}>"
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == written
    assert written._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')


def test_a_drawing_shows_inline_as_svg_or_says_in_one_line_why_not(monkeypatch):
    made = mg.draw(Value(2.0) * 3)
    if shutil.which("dot"):
        assert "<svg" in made._repr_mimebundle_()["image/svg+xml"]
    monkeypatch.setattr(
        drawing.renderers.shutil, "which", lambda name: None
    )  # a machine without Graphviz
    shown = made._repr_mimebundle_()
    assert list(shown) == ["text/plain"] and "install it with" in shown["text/plain"]
    assert "\n" not in shown["text/plain"]


def test_rendering_is_pluggable_and_goes_back_to_the_platforms_own(monkeypatch):
    seen = []

    def fake(source: str, fmt: str) -> bytes:
        seen.append((source, fmt))
        return b"<svg>fake</svg>"

    drawing.renderers.use(fake)
    try:
        assert drawing.svg(mg.draw(Value(2.0) * 3)) == "<svg>fake</svg>"
        assert seen[0][1] == "svg" and "digraph" in seen[0][0]
    finally:
        drawing.renderers.use(None)
    assert drawing.renderers.current() is drawing.renderers.dot_program
    monkeypatch.setattr(sys, "platform", "emscripten")  # Python in a browser (Pyodide)
    assert drawing.renderers.current() is drawing.renderers.graphviz_wasm
    with pytest.raises(TypeError, match="a renderer is a function"):
        drawing.renderers.use("dot")


class _FakeViz:
    """What the browser page puts at globalThis.microgradGraphviz: @viz-js/viz's render(), here run by dot."""

    def render(self, source, options):
        assert options == {"format": "svg", "engine": "dot"}
        done = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True)
        if done.returncode:
            return type(
                "Result",
                (),
                {"status": "failure", "errors": [type("E", (), {"message": "syntax error"})()]},
            )
        return type(
            "Result", (), {"status": "success", "output": done.stdout.decode(), "errors": []}
        )


@needs_dot
def test_in_a_browser_drawings_and_the_replay_render_through_graphviz_in_webassembly(
    monkeypatch, tmp_path
):
    fake_js = type(sys)("js")  # Pyodide's js module, as a page gives it
    fake_js.Object = type("Object", (), {"fromEntries": staticmethod(lambda pairs: dict(pairs))})
    monkeypatch.setitem(sys.modules, "js", fake_js)
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(drawing.renderers.shutil, "which", lambda name: None)  # no dot program here
    x = Value(2.0)
    with pytest.raises(RuntimeError, match="globalThis.microgradGraphviz = await Viz.instance()"):
        drawing.svg(mg.draw(x * 2))
    fake_js.microgradGraphviz = _FakeViz()
    assert drawing.svg(mg.draw(x**2 * x.exp())).count("<ellipse") == 4
    page = mg.replay(x**2 * x.exp())
    assert page.steps == 4 and page.count("<ellipse") == 4
    with pytest.raises(
        RuntimeError, match="rendered to SVG only .* use a file name ending in .svg"
    ):
        mg.render(mg.draw(x), str(tmp_path / "x.png"))
    with pytest.raises(RuntimeError, match="Graphviz could not draw the graph: syntax error"):
        drawing.renderers.graphviz_wasm("digraph {", "svg")
