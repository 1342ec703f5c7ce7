"""The build-it-yourself checker: check_engine passes correct engines (our reference solution of
lesson 16 and karpathy's micrograd 0.1.0 from PyPI) and fails engines with each typical mistake,
with a message that names the operation and the mistake."""

import linecache
import os
import re
import sys
import types

import pytest

import micrograd
from micrograd.exercises import ExerciseFailed, check_engine

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOLUTION = os.path.join(ROOT, "lessons", "solutions", "16_build_your_own_engine.py")
with open(SOLUTION, encoding="utf-8") as handle:
    SOURCE = handle.read()


def engine(source=SOURCE, name="student_engine"):
    """The solution's module, from (possibly mutated) source."""
    module = types.ModuleType(name)
    module.__file__ = f"/home/student/{name}.py"  # the student's file, as the checker sees it
    linecache.cache[module.__file__] = (len(source), None, source.splitlines(True), module.__file__)
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def mutated(old, new):
    assert SOURCE.count(old) >= 1, f"the mutation's text {old!r} is not in the solution any more"
    return engine(SOURCE.replace(old, new))


def test_the_reference_solution_passes_every_step():
    solution = engine()
    check_engine(solution.Value, 7, MLP=solution.MLP)


@pytest.mark.slow  # his package from PyPI, through all seven steps
def test_karpathys_micrograd_passes_the_steps_its_operations_cover():
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    try:
        import anchors
    finally:
        sys.path.pop(0)
    karpathy = anchors.karpathy()
    assert karpathy is not None, "could not download karpathy's micrograd 0.1.0 from PyPI"
    for step in (1, 2, 3, 4, 5):
        check_engine(karpathy.engine.Value, step)
    check_engine(karpathy.engine.Value, 7, MLP=karpathy.nn.MLP)  # relu is enough for an MLP
    with pytest.raises(ExerciseFailed, match=r"your Value has no exp\(\) yet"):
        check_engine(karpathy.engine.Value, 6)


MISTAKES = [  # (what, old, new, the first step that fails, what the message must say)
    (
        "product rule without its factor",
        "self.grad += other.data * out.grad",
        "self.grad += out.grad",
        3,
        r"out = a \* b .*a\.grad should be -3, got 1\..*product rule",
    ),
    (
        "local derivative not times out.grad",
        "self.grad += other.data * out.grad",
        "self.grad += other.data",
        3,
        r"a \* b .*out\.grad = 0\.7.*a\.grad should be -2\.1, got -3\..*multiplies the local derivative by out\.grad",
    ),
    (
        "= where a reused Value needs +=",
        "            self.grad += out.grad\n            other.grad += out.grad",
        "            self.grad = out.grad\n            other.grad = out.grad",
        5,
        r"out = a \+ a .*a\.grad should be 1 \+ 1 = 2, got 1.*self\.grad \+= \.\.\.",
    ),
    (
        "the wrong order",
        "for v in reversed(order):",
        "for v in order:",
        4,
        r"out = \(a \* 2\) \* 3 \+ 1.*a\.grad should be 6, got 0\..*reversed topological order",
    ),
    (
        "breadth first from the output",
        "        for v in reversed(order):\n            v._backward()",
        "        queue, seen = [self], {self}\n        while queue:\n            v = queue.pop(0)\n            v._backward()\n"
        "            queue += [c for c in v._prev if c not in seen]\n            seen.update(v._prev)",
        5,
        r"in this program\n(    .*\n)+(\w)\._backward\(\) ran before (\w)\._backward\(\), but \3 uses \2",
    ),
    (
        "no seed",
        "        self.grad = 1.0                         # ∂self/∂self\n",
        "",
        4,
        r"out\.grad should be 1 .*got 0: set self\.grad = 1\.0 first",
    ),
    (
        "no visited set",
        "            if v not in visited:",
        "            if True:",
        5,
        r"in this program\n(    .*\n)+(\w)\._backward\(\) ran 2 times, it should run once: visit each Value once",
    ),
    (
        "tanh's derivative",
        "(1 - t ** 2)",
        "(1 - t)",
        6,
        r"\(a\.tanh\(\)\)\.backward\(\).*check the derivative of tanh",
    ),
    (
        "pow's derivative",
        "exponent * self.data ** (exponent - 1)",
        "exponent * self.data ** exponent",
        6,
        r"\(a \*\* 3\)\.backward\(\).*a\.grad should be 12, got 24: check the derivative of \*\*",
    ),
    (
        "exp's derivative",
        "self.grad += out.data * out.grad",
        "self.grad += self.data * out.grad",
        6,
        r"a\.exp\(\).*a\.grad should be 7\.38906, got 2: check the derivative of exp",
    ),
    (
        "no __rmul__",
        "    def __rmul__(self, other):",
        "    def _rmul(self, other):",
        1,
        r"4 \* a failed .*define __rmul__\(self, other\)",
    ),
    (
        "numbers not wrapped",
        "        other = other if isinstance(other, Value) else Value(other)\n        out = Value(self.data + ",
        "        out = Value(self.data + ",
        1,
        r"a \+ 1\.5 failed \(AttributeError: .*wrap it in a Value",
    ),
    (
        "numbers left in _prev unwrapped",
        "        other = other if isinstance(other, Value) else Value(other)\n        out = Value(self.data * other.data,",
        "        out = Value(self.data * getattr(other, 'data', other),",
        1,
        r"\(a = .*a \* 4\)\._prev should hold Values, but holds 4 \(int\): wrap numbers in a Value",
    ),
    (
        "a float instead of a Value",
        "        return self + other",
        "        return self.data + other",
        1,
        r"1\.5 \+ a should give a Value, got 3\.5 of type float",
    ),
    (
        "the wrong _op",
        '(self, other), "+")',
        '(self, other), "add")',
        1,
        r"\(a = .* a \+ b\)\._op should be '\+', got 'add'",
    ),
    (
        "grad starting at None",
        "self.grad = 0.0                         # step 2",
        "self.grad = None",
        2,
        r"Value\(2\.0\)\.grad should start at 0 .*got None",
    ),
    (
        "a leaf's _backward that does something",
        "self._backward = lambda: None",
        "self._backward = lambda: setattr(self, 'grad', 0)",
        3,
        r"a leaf's _backward should do nothing",
    ),
    (
        "no backward()",
        "    def backward(self):",
        "    def walk_back(self):",
        4,
        r"your Value has no backward\(\) yet",
    ),
    (
        "a label not kept",
        "        self.label = label",
        "        self.label = ''",
        2,
        r"Value\(1\.0, label='x'\)\.label should be 'x'",
    ),
    (
        "an MLP without biases in parameters()",
        "return self.w + [self.b]",
        "return self.w",
        7,
        r"41 parameters, parameters\(\) gave 32",
    ),
    (
        "a neuron computing with floats",
        "(wi * xi for wi",
        "(wi.data * xi for wi",
        7,
        r"parameter 0 of MLP\(3, \[4, 4, 1\]\): its grad is 0, but nudging it changes the loss at the rate -?\d",
    ),
    (
        "a _prev that can be read only once",
        "self._prev = set(_children)",
        "self._prev = (c for c in _children)",
        1,
        r"Value\(2\.0\)\._prev is a generator: backward\(\) and draw\(\) each read _prev.*self\._prev = set\(_children\)",
    ),
    (
        "a topological sort that visits itself",
        "            if v not in visited:\n                visited.add(v)\n"
        "                for child in v._prev:\n                    visit(child)",
        "            if True:\n"
        "                visited.add(v)\n                for child in v._prev:\n                    visit(v)",
        4,
        r"out\.backward\(\) recursed too deeply: a recursive topological sort needs a visited set",
    ),
    (
        "parameters() giving numbers",
        "return self.w + [self.b]",
        "return [p.data for p in self.w + [self.b]]",
        7,
        r"every parameter should be one of your Values, parameters\(\) gave -?0\.\d+ \(float\): .*not their \.data",
    ),
    (
        "parameters() giving copies",
        "return self.w + [self.b]",
        "return [Value(p.data) for p in self.w + [self.b]]",
        7,
        r"every parameter's grad is 0: parameters\(\) must return the Values the model computes with",
    ),
    (
        "a relu on the output layer",
        "self.b).tanh()",
        "self.b).relu()",
        7,
        r"took the loss from [\d.]+ only to [\d.]+: the MLP never outputs a negative number.*relu on the last layer",
    ),
    (
        "an error in the student's code",
        'out = Value(self.data * other.data, (self, other), "*")',
        'out = Value(self.data * other.data / 0, (self, other), "*")',
        1,
        r"a \* b raised ZeroDivisionError: float division by zero \(your line \d+: out = Value\(self\.data \* other\.data / 0",
    ),
]


SLOW_MISTAKES = {"breadth first from the output", "no visited set"}  # over 2 s each


@pytest.mark.parametrize(
    "what, old, new, step, message",
    [
        pytest.param(*m, id=m[0], marks=pytest.mark.slow if m[0] in SLOW_MISTAKES else ())
        for m in MISTAKES
    ],
)
def test_a_typical_mistake_fails_at_its_step_and_says_what_is_wrong(what, old, new, step, message):
    student = mutated(old, new)
    if step > 1:
        check_engine(student.Value, step - 1, MLP=student.MLP)  # the steps before still pass
    with pytest.raises(ExerciseFailed) as failure:
        check_engine(student.Value, step, MLP=student.MLP)
    assert re.search(message, str(failure.value), re.S), str(failure.value)
    assert str(failure.value).startswith(f"step {step} (")  # which step failed, named first


@pytest.mark.slow  # hypothesis finds a failing program and shrinks it
def test_a_failing_random_program_is_printed_short_and_runnable():
    student = mutated("            if v not in visited:", "            if True:")
    with pytest.raises(ExerciseFailed) as failure:
        check_engine(student.Value, 5)
    text = str(failure.value)
    program = "\n".join(line[4:] for line in text.splitlines() if line.startswith("    "))
    assert 3 <= len(program.splitlines()) <= 7, text  # shrunk by hypothesis
    names = {"Value": student.Value}
    exec(program, names)  # the student can paste it and see
    twice = re.search(r"\n(\w)\._backward\(\) ran 2 times", text).group(1)
    calls = []
    step = names[twice]._backward
    names[twice]._backward = lambda: (calls.append(1), step())
    names[program.splitlines()[-1].split(" = ")[0]].backward()
    assert len(calls) == 2
    assert "Falsifying example" not in text and "hypothesis" not in text


def test_messages_follow_the_language():
    student = mutated("for v in reversed(order):", "for v in order:")
    try:
        micrograd.set_language("zh")
        with pytest.raises(ExerciseFailed, match=r"a\.grad 应为 6，实际是 0。梯度没有传到它"):
            check_engine(student.Value, 4)
    finally:
        micrograd.set_language(None)
    with pytest.raises(ExerciseFailed, match=r"a\.grad should be 6, got 0\."):
        check_engine(student.Value, 4)


def test_bad_arguments_are_named():
    solution = engine()
    with pytest.raises(ValueError, match=r"step must be a whole number from 1 to 7, got 8"):
        check_engine(solution.Value, 8)
    with pytest.raises(TypeError, match=r"needs your Value class itself"):
        check_engine(solution.Value(1.0), 1)
    with pytest.raises(ExerciseFailed, match=r"check_engine\(Value, 7, MLP=MLP\)"):
        check_engine(solution.Value, 7)


def test_draw_accepts_another_engines_values():
    solution = engine()
    a = solution.Value(2.0, label="a")
    out = a * 4 + a
    out.backward()
    source = micrograd.draw(out).source
    assert (
        source.count("shape=ellipse") == 4 and source.count("shape=box") == 2
    )  # a, 4, a*4, out; * and +
    assert re.search(r'label="a\\ndata 2\\ngrad 5"', source), source
    with pytest.raises(TypeError, match="data, grad, _prev and _op"):
        micrograd.draw(2.0)
