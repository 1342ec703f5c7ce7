// The browser classroom: Python (Pyodide) and Graphviz (@viz-js/viz), both compiled to WebAssembly,
// run a page's code cells with micrograd, and every output is shown under its cell.
//
// A page holds its settings in <script type="application/json" id="classroom">: the wheels it needs
// (micrograd, graphviz, and for lesson 15 hypothesis), the lesson's file name (for tracebacks), whether
// to run its cells on opening (the playground does), and the words of its buttons.  Everything is
// fetched from the folder this file is in: no other host.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { instance as graphvizInstance } from "./viz.js";

const site = new URL(".", import.meta.url);
const settings = JSON.parse(document.getElementById("classroom").textContent);
const words = settings.words;
const status = document.getElementById("status");
const cells = [...document.querySelectorAll(".cell")];
let python = null;        // {pyodide, runner, namespace} once loaded
let busy = false;
let finished = 0;         // runs finished, in <body data-runs>: tests wait on it

function say(text, kind = "") {
  status.textContent = text;
  status.className = kind;
}

// Load Python and Graphviz side by side, then the wheels; micrograd's drawings find Graphviz at
// globalThis.microgradGraphviz (micrograd/drawing/renderers.py).
async function loadPython() {
  const [pyodide, graphviz] = await Promise.all([
    loadPyodide({ indexURL: new URL("pyodide/", site).href }),
    graphvizInstance(),
  ]);
  globalThis.microgradGraphviz = graphviz;
  await pyodide.loadPackage(settings.wheels.map((name) => new URL("wheels/" + name, site).href),
                            { messageCallback: () => {} });
  const runner = pyodide.pyimport("micrograd.teaching.cell_runner");
  const namespace = runner.new_namespace(settings.filename);
  return { pyodide, runner, namespace };
}

function show(output, into) {
  const kind = output.kind;
  const text = output.text;
  let element;
  if (kind === "image/svg+xml") {
    window.firstPictureMs ??= performance.now();       // ms from opening the page: bench/classroom.py reads it
  }
  if (kind === "image/svg+xml" || kind === "text/html") {
    element = document.createElement("div");
    element.className = kind === "image/svg+xml" ? "picture" : "html";
    element.innerHTML = text;
  } else if (kind === "image/png") {
    element = document.createElement("img");
    element.src = "data:image/png;base64," + text;
  } else {
    element = document.createElement("pre");
    element.className = kind === "error" ? "error" : kind === "stream" ? "stream" : "value";
    element.textContent = text;
  }
  into.appendChild(element);
}

function runOne(cell) {
  const code = cell.querySelector("textarea").value;
  const into = cell.querySelector(".outputs");
  into.replaceChildren();
  const outputs = python.runner.run_cell.callKwargs(code, python.namespace, {
    filename: settings.filename, first_line: Number(cell.dataset.firstLine || 1),
  });
  let failed = false;
  for (const output of outputs) {
    show(output, into);
    failed ||= output.kind === "error";
    output.destroy();
  }
  outputs.destroy();
  cell.classList.add("ran");
  cell.classList.toggle("failed", failed);
  return !failed;
}

// Run `target` (a cell, or null for all cells): first every cell above it that has not run yet,
// so a lesson's cells always run in order, as its script would.
async function run(target) {
  if (busy) return;
  busy = true;
  try {
    if (python === null) {
      say(words.loading, "working");
      python = await loadPython();
    }
    const last = target === null ? cells.length - 1 : cells.indexOf(target);
    for (let k = 0; k <= last; k++) {
      const cell = cells[k];
      if (cell !== target && cell.classList.contains("ran")) continue;     // above the target, already run
      say(words.running.replace("{k}", k + 1).replace("{n}", cells.length), "working");
      await new Promise((resolve) => setTimeout(resolve, 0));       // let the page show it first
      if (!runOne(cell)) {
        say(words.stopped.replace("{k}", k + 1), "error");
        return;
      }
    }
    say(words.ready, "ready");
  } catch (error) {
    say(words.failed + " " + error, "error");
    throw error;
  } finally {
    busy = false;
    document.body.dataset.runs = ++finished;
  }
}

// The playground starts afresh at every Run: a new namespace, as if the program were a script.
function restart() {
  if (python !== null) {
    python.namespace.destroy();
    python.namespace = python.runner.new_namespace(settings.filename);
  }
  for (const cell of cells) cell.classList.remove("ran", "failed");
}

// A cell's Run: the playground first starts afresh; a lesson keeps what its cells made.
function runFrom(cell) {
  if (settings.fresh) restart();
  run(cell);
}

function fit(textarea) {
  textarea.style.height = "auto";
  textarea.style.height = textarea.scrollHeight + 4 + "px";
}

for (const cell of cells) {
  const textarea = cell.querySelector("textarea");
  fit(textarea);
  textarea.addEventListener("input", () => { fit(textarea); cell.classList.remove("ran"); });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.shiftKey || event.ctrlKey)) {       // Shift+Enter runs, as in Jupyter
      event.preventDefault();
      runFrom(cell);
    } else if (event.key === "Tab" && !event.shiftKey) {                   // Tab indents, four spaces
      event.preventDefault();
      textarea.setRangeText("    ", textarea.selectionStart, textarea.selectionEnd, "end");
    }
  });
  cell.querySelector("button.run").addEventListener("click", () => runFrom(cell));
}
const runAll = document.getElementById("run-all");
if (runAll) runAll.addEventListener("click", () => { restart(); run(null); });

if (settings.runOnOpen) {
  run(null);
} else {
  say(words.idle);
}
