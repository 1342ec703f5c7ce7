"""Build the browser classroom: a folder of static files a teacher can put on any web host.

    ./dev site [DIR]            (DIR is site/ unless given)

A student opens a page and works: Python and Graphviz run in the browser, compiled to WebAssembly,
and nothing is fetched from any host but the one serving the folder.  The folder holds:

    index.html                the playground: a program to edit and run, its graph and its backward replay
    index-zh.html             the playground in Chinese
    lessons/index.html        the lessons; lessons/en/*.html and lessons/zh/*.html, one page each
    classroom.js, .css        the pages' code: load Python, run cells, show their outputs
    pyodide/                  CPython compiled to WebAssembly (the npm package pyodide)
    viz.js                    Graphviz compiled to WebAssembly (the npm package @viz-js/viz)
    wheels/                   micrograd, built from this checkout; graphviz (the Python package);
                              hypothesis and sortedcontainers, for lesson 15

The npm packages are pinned in package.json and package-lock.json; the Python wheels in WHEELS.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import pathlib
import shutil
import string
import subprocess
import sys
import tempfile

from markdown_it import MarkdownIt

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
from micrograd.teaching.lesson_runner import Cell, lesson_cells, markdown_source  # noqa: E402 - the checkout's own, not an installed one

MARKER = ".micrograd-site"
"""A file in every folder this script built: only such a folder is ever emptied and rebuilt."""
PYODIDE_FILES = [
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]
WHEELS = ["graphviz==0.21", "hypothesis==6.155.7", "sortedcontainers==2.4.0"]
"""Pure-Python wheels from PyPI.  hypothesis 6.155.7 is its last release without compiled code."""
HYPOTHESIS = ["hypothesis", "sortedcontainers"]
NEEDS_HYPOTHESIS = ("import hypothesis", "from hypothesis ", "micrograd.testing", "check_engine")
"""A lesson whose code has one of these uses hypothesis: its own property tests (lesson 15), or the
build-your-own-engine checker's random programs (lesson 16)."""

STARTERS = {
    "en": """\
# Edit the program and press Run (or Shift+Enter).
from micrograd import Value, draw, replay

x = Value(2.0, label="x")
f = x**2 * x.exp()
f.label = "f"

display(replay(f))          # the backward pass, one node at a time: press "next"
f.backward()
print(f"f = {f.data:.4f}, df/dx = {x.grad:.4f}")   # (2x + x²)·eˣ = 8e² at x = 2
draw(f)                     # the last line's value is shown: the graph, with values and gradients
""",
    "zh": """\
# 修改程序，然后点击“运行”（或按 Shift+Enter）。
from micrograd import Value, draw, replay, set_language

set_language("zh")          # 反向传播回放的说明用中文
x = Value(2.0, label="x")
f = x**2 * x.exp()
f.label = "f"

display(replay(f))          # 反向传播，一次一个节点：点击“下一步”
f.backward()
print(f"f = {f.data:.4f}, df/dx = {x.grad:.4f}")   # x = 2 时 (2x + x²)·eˣ = 8e²
draw(f)                     # 最后一行的值会显示出来：计算图，带数值和梯度
""",
}
"""The playground's program, in each language: only the comments (and the replay's language) differ."""

WORDS = {
    "en": {
        "run": "Run",
        "run_all": "Run all cells",
        "idle": "Press Run on a cell, or Run all cells.",
        "loading": "Loading Python and Graphviz (WebAssembly)…",
        "running": "Running cell {k} of {n}…",
        "ready": "Done.",
        "stopped": "Cell {k} raised an error: fix it and run again.",
        "failed": "Could not start:",
        "playground": "Playground",
        "lessons": "Lessons",
        "other": "中文",
        "previous": "previous",
        "next": "next",
        "intro": "micrograd runs here in your browser: nothing to install. Edit the program and "
        "run it again; operations are rectangles, variables ellipses, each with its value and gradient.",
        "file": "This page must come from a web server (browsers do not run WebAssembly modules from files): "
        "run python3 -m http.server -d site 8000 and open http://127.0.0.1:8000/",
    },
    "zh": {
        "run": "运行",
        "run_all": "运行全部单元",
        "idle": "点击单元旁的“运行”，或“运行全部单元”。",
        "loading": "正在加载 Python 和 Graphviz（WebAssembly）……",
        "running": "正在运行第 {k} 个单元，共 {n} 个……",
        "ready": "完成。",
        "stopped": "第 {k} 个单元出错了：改正后再运行。",
        "failed": "无法启动：",
        "playground": "练习场",
        "lessons": "课程",
        "other": "English",
        "previous": "上一课",
        "next": "下一课",
        "intro": "micrograd 就在你的浏览器里运行，什么都不用安装。修改程序后再运行一次：运算画成矩形，"
        "变量画成椭圆，每个都标出它的值和梯度。",
        "file": "这个页面必须由网络服务器提供（浏览器不会从本地文件运行 WebAssembly 模块）："
        "运行 python3 -m http.server -d site 8000，然后打开 http://127.0.0.1:8000/",
    },
}

FROM_A_FILE = (
    'if (location.protocol === "file:") document.getElementById("status").textContent = '
    'JSON.parse(document.getElementById("classroom").textContent).words.file;'
)
"""Opened as a file, the page's module scripts cannot load: this (a plain script) says so instead of a silent page."""

PLAYGROUNDS = {"en": "index.html", "zh": "index-zh.html"}

PAGE = string.Template("""<!DOCTYPE html>
<html lang="$lang"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title><link rel="icon" href="data:,"><link rel="stylesheet" href="${root}classroom.css"></head>
<body>
<header><a class="name" href="${root}index.html">micrograd</a><nav>$nav</nav></header>
$body
$scripts
</body></html>
""")


def code_cell(code: str, first_line: int, run: str) -> str:
    """An editable code cell: its text, a Run button, and where its outputs go."""
    code = code.rstrip("\n")
    return (
        f'<div class="cell" data-first-line="{first_line}"><div class="cell-input">'
        f'<textarea class="code" spellcheck="false" rows="{code.count(chr(10)) + 1}">{html.escape(code)}</textarea>'
        f'<button class="run">{run}</button></div><div class="outputs"></div></div>'
    )


def page(
    lang: str,
    title: str,
    root: str,
    nav: str,
    body: str,
    wheels: list[str],
    filename: str,
    run_on_open: bool = False,
    fresh: bool = False,
) -> str:
    """A page of the site; with `wheels`, its code cells run (classroom.js loads Python and those wheels)."""
    settings = {
        "wheels": wheels,
        "filename": filename,
        "runOnOpen": run_on_open,
        "fresh": fresh,
        "words": WORDS[lang],
    }
    text = json.dumps(settings, ensure_ascii=False).replace(
        "<", "\\u003c"
    )  # nothing in it can close the <script>
    scripts = (
        (
            f'<script type="application/json" id="classroom">{text}</script>\n'
            f'<script type="module" src="{root}classroom.js"></script>\n<script>{FROM_A_FILE}</script>'
        )
        if wheels
        else ""
    )
    return PAGE.substitute(
        lang="zh-CN" if lang == "zh" else "en",
        title=html.escape(title),
        root=root,
        nav=nav,
        body=body,
        scripts=scripts,
    )


def trimmed(cell: Cell) -> tuple[str, int]:
    """A code cell's text without blank lines at either end, and the file's line number of its first line."""
    first = cell.first_line
    lines = list(cell.lines)
    while lines and not lines[0].strip():
        lines.pop(0)
        first += 1
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines), first


def lesson_title(path: pathlib.Path) -> str:
    first = next(c for c in lesson_cells(str(path)) if c.kind == "markdown")
    return next(line for line in first.lines if line.startswith("# #")).lstrip("# ").strip()


def wheels_for(path: pathlib.Path, base: list[str], available: dict[str, str]) -> list[str]:
    """The wheels a lesson needs: micrograd's and graphviz's, and hypothesis's if it uses it."""
    text = path.read_text(encoding="utf-8")
    return base + (
        [available[name] for name in HYPOTHESIS] if any(n in text for n in NEEDS_HYPOTHESIS) else []
    )


def build_lessons(out: pathlib.Path, base: list[str], available: dict[str, str]) -> list[str]:
    """One page per lesson and language, and the list of lessons.  Returns the pages written."""
    markdown = MarkdownIt("commonmark").enable("table")
    folders = {"en": REPO / "lessons", "zh": REPO / "lessons" / "zh"}
    written = []
    index = {}
    for lang, folder in folders.items():
        paths = sorted(folder.glob("[0-9][0-9]_*.py"))
        index[lang] = [(p.stem, lesson_title(p)) for p in paths]
        (out / "lessons" / lang).mkdir(parents=True, exist_ok=True)
        for number, path in enumerate(paths):
            words = WORDS[lang]
            other = "zh" if lang == "en" else "en"
            nav = [
                f'<a href="../../{PLAYGROUNDS[lang]}">{words["playground"]}</a>',
                f'<a href="../index.html#{lang}">{words["lessons"]}</a>',
                f'<a href="../{other}/{path.stem}.html" hreflang="{other}">{words["other"]}</a>',
            ]
            if number > 0:
                nav.append(f'<a href="{paths[number - 1].stem}.html">← {words["previous"]}</a>')
            if number + 1 < len(paths):
                nav.append(f'<a href="{paths[number + 1].stem}.html">{words["next"]} →</a>')
            parts = [
                f'<div id="toolbar"><button id="run-all">{words["run_all"]}</button><span id="status"></span></div>'
            ]
            for cell in lesson_cells(str(path)):
                if cell.kind == "markdown":
                    parts.append(markdown.render("\n".join(markdown_source(cell))))
                else:
                    code, first = trimmed(cell)
                    if code:
                        parts.append(code_cell(code, first, words["run"]))
            name = f"lessons/{lang}/{path.stem}.html"
            (out / name).write_text(
                page(
                    lang,
                    lesson_title(path),
                    "../../",
                    " ".join(nav),
                    "\n".join(parts),
                    wheels_for(path, base, available),
                    path.name,
                ),
                encoding="utf-8",
            )
            written.append(name)
    items = {
        lang: "\n".join(
            f'<li><a href="{lang}/{stem}.html">{html.escape(title)}</a></li>'
            for stem, title in rows
        )
        for lang, rows in index.items()
    }
    body = (
        f'<h1 id="en">Lessons</h1><ol class="lessons">{items["en"]}</ol>'
        f'<h1 id="zh">课程（中文）</h1><ol class="lessons">{items["zh"]}</ol>'
    )
    nav = '<a href="../index.html">Playground</a> <a href="../index-zh.html">练习场</a>'
    (out / "lessons" / "index.html").write_text(
        page("en", "micrograd lessons", "../", nav, body, [], ""), encoding="utf-8"
    )
    return written + ["lessons/index.html"]


def build_playground(out: pathlib.Path, base: list[str], lang: str) -> None:
    """The playground in `lang`: the starter program, run as the page opens and afresh at each Run."""
    words = WORDS[lang]
    other = "zh" if lang == "en" else "en"
    nav = (
        f'<a href="lessons/index.html#{lang}">{words["lessons"]}</a> '
        f'<a href="{PLAYGROUNDS[other]}" hreflang="{other}">{words["other"]}</a>'
    )
    body = f'<p>{words["intro"]}</p><div id="toolbar"><span id="status"></span></div>' + code_cell(
        STARTERS[lang], 1, words["run"]
    )
    title = "micrograd playground" if lang == "en" else "micrograd 练习场"
    (out / PLAYGROUNDS[lang]).write_text(
        page(lang, title, "", nav, body, base, "playground.py", run_on_open=True, fresh=True),
        encoding="utf-8",
    )


def npm_install() -> pathlib.Path:
    """The pinned npm packages (npm ci), installed once and again only when the lock file changes."""
    modules = HERE / "node_modules"
    installed = modules / ".package-lock.json"
    if (
        not installed.exists()
        or installed.stat().st_mtime < (HERE / "package-lock.json").stat().st_mtime
    ):
        if shutil.which("npm") is None:
            sys.exit(
                "site: npm is needed to fetch Pyodide and Graphviz (WebAssembly): install Node.js and npm "
                "(sudo apt-get install nodejs npm), then run ./dev site again"
            )
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True
        )
    return modules


def python_wheels(into: pathlib.Path) -> dict[str, str]:
    """micrograd's wheel, built from a clean copy of this checkout (so no stale build/ file slips in),
    and the WHEELS from PyPI (kept in .wheels/ between builds).  Returns project name -> file name."""
    cache = HERE / ".wheels"
    cache.mkdir(exist_ok=True)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    if not all(any(cache.glob(spec.replace("==", "-") + "-*.whl")) for spec in WHEELS):
        subprocess.run(
            pip + ["download", "--no-deps", "--only-binary=:all:", "-d", str(cache), *WHEELS],
            check=True,
        )
    with tempfile.TemporaryDirectory() as scratch:
        source = pathlib.Path(scratch) / "source"
        source.mkdir()
        for name in ("setup.cfg", "pyproject.toml", "README.md", "LICENSE"):
            shutil.copy(REPO / name, source / name)
        for folder in ("micrograd", "lessons"):  # the wheel carries the lessons too
            shutil.copytree(
                REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
            )
        subprocess.run(pip + ["wheel", "--no-deps", "-w", str(into), str(source)], check=True)
    for spec in WHEELS:
        for wheel in cache.glob(spec.replace("==", "-") + "-*.whl"):
            shutil.copy(wheel, into / wheel.name)
    return {wheel.name.split("-")[0].lower(): wheel.name for wheel in into.glob("*.whl")}


def prepare(out: pathlib.Path) -> None:
    """An empty folder to build in: a new one, an empty one, or one this script built before."""
    if out.exists():
        if not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists()):
            sys.exit(
                f"site: {out} already exists and was not built by ./dev site; nothing was changed. "
                "Give another folder (./dev site DIR) or remove this one first"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("built by ./dev site: rebuilding empties this folder\n")


def sizes(out: pathlib.Path, names: list[str]) -> tuple[int, int]:
    """Bytes of the files `names`, as they are and gzipped (what a server compressing them sends)."""
    raw = packed = 0
    for name in names:
        data = (out / name).read_bytes()
        raw += len(data)
        packed += len(gzip.compress(data, 6))
    return raw, packed


def build(out: pathlib.Path) -> dict[str, int]:
    """Build the site into `out`; returns what the playground downloads (bytes raw and gzipped)."""
    modules = npm_install()
    prepare(out)
    (out / "pyodide").mkdir()
    for name in PYODIDE_FILES:
        shutil.copy(modules / "pyodide" / name, out / "pyodide" / name)
    shutil.copy(modules / "@viz-js" / "viz" / "dist" / "viz.js", out / "viz.js")
    for name in ("classroom.js", "classroom.css"):
        shutil.copy(HERE / "static" / name, out / name)
    (out / "wheels").mkdir()
    available = python_wheels(out / "wheels")
    base = [available["micrograd_classroom"], available["graphviz"]]
    for lang in PLAYGROUNDS:
        build_playground(out, base, lang)
    pages = build_lessons(out, base, available)
    first = [
        "index.html",
        "classroom.js",
        "classroom.css",
        "viz.js",
        *(f"pyodide/{n}" for n in PYODIDE_FILES),
        *(f"wheels/{w}" for w in base),
    ]
    raw, packed = sizes(out, first)
    print(
        f"site: built {out} (the playground in English and Chinese and {len(pages) - 1} lesson pages). Opening the playground "
        f"downloads {raw / 1e6:.1f} MB ({packed / 1e6:.1f} MB gzipped). Serve it with: "
        f"python3 -m http.server -d {out} 8000, then open http://127.0.0.1:8000/"
    )
    return {"bytes": raw, "gzipped": packed}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="./dev site", description="Build the browser classroom (static files)."
    )
    parser.add_argument(
        "folder", nargs="?", default=str(REPO / "site"), help="where to build it (default: site/)"
    )
    build(pathlib.Path(parser.parse_args(argv).folder).resolve())


if __name__ == "__main__":
    main()
