"""The package's layers: the core imports nothing else of micrograd, the PyTorch-shaped shell
imports only the core, the teaching tools sit on top, and no two modules import each other.

Imports are read from the source (in-function imports included; those under
``if TYPE_CHECKING:`` are for type checkers and left out), so the contract holds whichever
modules a test happens to import.
"""

import ast
import pathlib

import micrograd

PACKAGE = pathlib.Path(micrograd.__file__).parent

LAYERS = ["core", "shell", "teaching"]  # each may import its own layer and those before it
SHELL = {"tensors", "autograd", "nn", "func", "optim", "utils", "pytree", "distributions"}
FACE = {
    "micrograd",
    "micrograd.__main__",
    "micrograd.engine",
    "micrograd.drawing",
    "micrograd.exercises",
    "micrograd.training",
    "micrograd.testing",
}
"""The public face: the package and the names it keeps for users; it may import any layer."""


def module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def layer(module: str) -> str:
    if module in FACE:
        return "face"
    top = module.split(".")[1]
    return top if top in ("core", "teaching") else "shell" if top in SHELL else f"unknown: {module}"


def _type_checking_blocks(tree: ast.AST) -> set[int]:
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in (
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        ):
            skipped |= {id(n) for n in ast.walk(node)}
    return skipped


def imports_of(module: str) -> set[str]:
    """The micrograd modules `module` imports (a package's own name when it imports a name
    defined in its __init__)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text())
    skipped = _type_checking_blocks(tree)
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "micrograd"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").split(".")[0] == "micrograd":
                target = node.module
            else:
                continue
            for alias in node.names:
                found.add(
                    f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target
                )
    return found - {module}


GRAPH = {m: imports_of(m) for m in MODULES}


def test_every_module_belongs_to_a_layer():
    assert not [m for m in MODULES if layer(m).startswith("unknown")]


def test_each_layer_imports_only_itself_and_the_layers_below():
    wrong = []
    for module, targets in GRAPH.items():
        if layer(module) == "face":
            continue
        for target in targets:
            if layer(target) == "face" or LAYERS.index(layer(target)) > LAYERS.index(layer(module)):
                wrong.append(f"{module} ({layer(module)}) imports {target} ({layer(target)})")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles_between_modules():
    cycles, state = [], {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(GRAPH.get(module, ())):
            if state.get(target) == "open":
                cycles.append(" -> ".join(path[path.index(target) :] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_the_checks_would_see_a_wrong_import():
    # the reader must find relative, absolute and in-function imports, or the contract is empty
    assert "micrograd.core.rules" in GRAPH["micrograd.core.value"]
    assert "micrograd.core.value" in GRAPH["micrograd.tensors.tensor"]
    assert any(t.startswith("micrograd.teaching") for t in GRAPH["micrograd"])
    assert (
        layer("micrograd.teaching.cli") == "teaching" and layer("micrograd.nn.modules") == "shell"
    )
