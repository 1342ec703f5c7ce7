# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 15. Property-based derivative tests

# %%
# the same first cell in every lesson
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   PyTorch tutorials run with just this line changed
from micrograd import Value, draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

torch.set_language("en")                                          # the checkers' messages speak English
OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # pictures go here, never into the repository
os.makedirs(OUT, exist_ok=True)

# %% [markdown]
# One example can agree by luck. A property-based test states a rule for all inputs and lets
# hypothesis hunt for a counterexample. `micrograd.testing` has the strategies and checks.

# %%
from hypothesis import given, settings
from micrograd.autograd import Function
from micrograd.testing import KINKED, assert_grad_matches_numeric, expressions, values


class WrongCube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 2 * x ** 2          # wrong: should be 3x²


@settings(max_examples=30, deadline=None)
@given(values(-3, 3).filter(lambda v: abs(v) > 0.1))
def property_holds(x0):
    assert_grad_matches_numeric(WrongCube.apply, x0)


try:
    property_holds()
    caught = False
except AssertionError as err:
    caught = True
    print("hypothesis caught it:", str(err).splitlines()[0])
assert caught


@settings(max_examples=30, deadline=None)
@given(expressions(max_leaves=6), values(-2, 2), values(-2, 2))
def random_expressions(expression, x0, y0):
    f = lambda x, y: expression.evaluate({"x": x, "y": y})  # noqa: E731
    out = f(Value(x0), Value(y0))
    if isinstance(out, Value) and out.requires_grad and math.isfinite(out.data) and abs(out.data) < 1e6 \
            and not expression.uses(KINKED):
        assert_grad_matches_numeric(f, x0, y0, rtol=1e-4, atol=1e-5)


random_expressions()
print("autograd matched central differences on 30 random expressions")

# %% [markdown]
# ## Exercise
#
# Write the Function `answer` for softplus(x) = log(1 + eˣ).

# %%
class answer(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (1 + x.exp()).log()

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output          # replace: d/dx log(1 + e^x)

# %%
from micrograd.exercises import ExerciseFailed, check_softplus_function

try:
    print(check_softplus_function(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
