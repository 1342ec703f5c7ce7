"""The browser classroom, end to end: ``classroom/build.py`` (what ``./dev site`` runs)
builds the site, a server on 127.0.0.1 serves it, and headless Chromium, driven by Playwright,
opens its pages.  Python and Graphviz run in the browser (Pyodide and @viz-js/viz); every request
must stay on 127.0.0.1."""

from __future__ import annotations

import importlib.util
import math
import os
import pathlib
import re
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "classroom"))
from serve import CHROMIUM_ARGS, serve  # noqa: E402 - classroom/serve.py, after its folder is on the path

IN_CI = (
    os.environ.get("MICROGRAD_CI") == "1"
)  # set by .ci/run, whose ./dev test installs what is needed
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def missing(what: str) -> None:
    """Skip on a developer's machine without `what`; in CI, fail: there it must have been installed."""
    (pytest.fail if IN_CI else pytest.skip)(f"{what} (./dev test installs it)")


LOADED = 60_000  # ms: a page may take this long to load Python (about 3 s here)


def finished(page, runs: int) -> None:
    """Wait until the page has finished `runs` runs (a Run click, Shift+Enter or Run all each make one)."""
    page.wait_for_selector(f"body[data-runs='{runs}']", timeout=LOADED)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if shutil.which("npm") is None:
        missing("npm is missing")
    folder = tmp_path_factory.mktemp("classroom") / "site"
    done = subprocess.run(
        [sys.executable, str(REPO / "classroom" / "build.py"), str(folder)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"downloads [\d.]+ MB \([\d.]+ MB gzipped\)", done.stdout)
    return folder


@pytest.fixture(scope="module")
def server(site):
    httpd = serve(site)
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright import sync_api as playwright
    except ImportError:
        missing("playwright is not installed")
    if not os.path.exists("/usr/bin/chromium"):
        missing("Debian's chromium is not installed")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    """A fresh page; after the test, every request it made must have gone to our server."""
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    opened = context.new_page()
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on(
        "response",
        lambda response: (
            response.status >= 400 and errors.append(f"{response.status} {response.url}")
        ),
    )
    yield opened
    context.close()
    assert errors == []
    elsewhere = [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob", "about") and not url.startswith(server)
    ]
    assert requests and elsewhere == [], elsewhere


def test_the_playground_draws_the_starter_graph_and_its_replay_steps(page, server):
    page.goto(server + "index.html")
    finished(page, 1)
    graph = page.locator(".outputs > .picture svg")
    assert graph.locator("g.node ellipse").count() == 4  # x, x**2, exp(x), f
    assert graph.locator("g.node polygon").count() == 3  # **2, exp, *
    labels = graph.locator("g.node").all_text_contents()
    f, dfdx = 4 * math.e**2, 8 * math.e**2  # x²eˣ and (2x + x²)eˣ at x = 2
    assert any(f"grad {dfdx:.4g}" in label for label in labels), labels
    assert page.locator(".outputs pre.stream").inner_text() == f"f = {f:.4f}, df/dx = {dfdx:.4f}\n"
    replay = page.frame_locator(".outputs iframe")
    assert replay.locator("#position").inner_text() == "step 1 of 4"
    assert replay.locator("#caption").inner_text().startswith("∂f/∂f = 1")
    replay.locator("#next").click()
    assert replay.locator("#position").inner_text() == "step 2 of 4"
    assert replay.locator(".current").count() == 1 and replay.locator(".done").count() == 1
    assert (
        "∂f/∂" in replay.locator("#caption").inner_text()
        and "= 1:" not in replay.locator("#caption").inner_text()
    )


def test_a_typed_program_runs_and_its_output_and_errors_appear(page, server):
    page.goto(server + "index.html")
    finished(page, 1)
    editor = page.locator(".cell textarea")
    editor.fill(
        "from micrograd import Value\na = Value(3.0)\nb = a * a + 2 * a\nb.backward()\n"
        "print('db/da =', a.grad)"
    )
    page.click(".cell button.run")
    finished(page, 2)
    assert page.locator(".outputs pre.stream").inner_text() == "db/da = 8.0\n"  # 2a + 2 at a = 3
    assert page.locator(".outputs svg").count() == 0  # the old outputs are gone
    editor.fill("x = 1\ny = x / 0")
    editor.press("Shift+Enter")
    finished(page, 3)
    error = page.locator(".outputs pre.error").inner_text()
    assert (
        "line 2" in error
        and "y = x / 0" in error
        and error.endswith("ZeroDivisionError: division by zero\n")
    )


def test_a_lesson_runs_its_cells_in_order_and_its_checker_speaks(page, server):
    page.goto(server + "lessons/en/16_build_your_own_engine.html")
    assert page.locator("h2").first.inner_text().startswith("Step 1")  # the text is rendered
    codes = [area.input_value() for area in page.locator(".cell textarea").all()]
    step1 = page.locator(".cell").nth(
        next(k for k, code in enumerate(codes) if '"step 1: __add__"' in code)
    )
    step1.locator("textarea").fill(
        STEP_1.replace("self.data * other.data", "self.data + other.data")
    )
    step1.locator("button.run").click()  # runs the cells above it first
    finished(page, 1)
    assert (
        page.locator("#status").inner_text() == "Done." and page.locator(".cell.ran").count() == 3
    )
    said = step1.locator("pre.stream").inner_text()
    assert said.startswith("Not yet:") and "*" in said
    step1.locator("textarea").fill(STEP_1)
    step1.locator("button.run").click()
    finished(page, 2)
    assert step1.locator("pre.stream").inner_text() == "step 1: correct\n"


def test_the_chinese_playground_and_a_chinese_lesson_draw_their_graphs(page, server):
    page.goto(server + "index.html")
    page.click("a[href='index-zh.html']")
    finished(page, 1)
    assert page.locator(".outputs > .picture svg g.node ellipse").count() == 4
    caption = page.frame_locator(".outputs iframe").locator("#caption").inner_text()
    assert caption == "∂f/∂f = 1：反向传播从这个初始梯度开始"  # the replay speaks Chinese
    page.click("a[href='lessons/index.html#zh']")  # the list of lessons, its Chinese half
    page.click("a[href='zh/02_computation_graph.html']")
    assert page.url == server + "lessons/zh/02_computation_graph.html"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.click("#run-all")
    finished(page, 1)
    assert page.locator("#status").inner_text() == "完成。"
    assert page.locator(".cell").count() == page.locator(".cell.ran").count() > 3
    assert page.locator(".outputs svg g.node ellipse").count() == 5  # w, x, b, y, z
    assert (
        "还没有通过：" in page.locator(".outputs pre.stream").last.inner_text()
    )  # the exercise is not done yet


STEP_1 = """class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), "+")

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), "*")

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other


check(1)"""


def test_the_build_never_empties_a_folder_it_did_not_build(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "classroom_build", REPO / "classroom" / "build.py"
    )
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "lesson-plan.txt").write_text("mine")
    with pytest.raises(SystemExit, match="was not built by ./dev site; nothing was changed"):
        build.prepare(mine)
    assert (mine / "lesson-plan.txt").read_text() == "mine"
    built = tmp_path / "site"
    build.prepare(built)  # a new folder: made, and marked as ours
    (built / "old.html").write_text("old")
    build.prepare(built)  # ours: emptied and built again
    assert sorted(p.name for p in built.iterdir()) == [build.MARKER]


@pytest.mark.parametrize(
    "lesson, shows",
    [
        ("en/13_neural_network", "svg rect.shade"),  # plots without matplotlib
        ("zh/15_property_testing", "pre.stream"),
    ],
)  # hypothesis in the browser
def test_lessons_needing_plots_or_hypothesis_run_every_cell_in_the_browser(
    page, server, lesson, shows
):
    page.goto(server + f"lessons/{lesson}.html")
    page.click("#run-all")
    finished(page, 1)
    assert page.locator("pre.error").count() == 0
    assert page.locator(".cell").count() == page.locator(".cell.ran").count() >= 4
    assert page.locator(f".outputs {shows}").count() > 0


def test_opened_as_a_file_the_page_says_it_needs_a_web_server(browser, site):
    opened = browser.new_page()
    opened.goto((site / "index.html").as_uri())
    assert "must come from a web server" in opened.locator("#status").inner_text()
    opened.close()
