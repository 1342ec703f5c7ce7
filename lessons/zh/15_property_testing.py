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
# # 15. 基于性质的导数测试

# %%
# 每一课都相同的第一个单元
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   只改这一行，PyTorch 的教程就能运行
from micrograd import Value, draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

torch.set_language("zh")                                          # 检查器用中文说明问题
OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # 图片保存在这里，不会写进代码仓库
os.makedirs(OUT, exist_ok=True)

# %% [markdown]
# 一个例子可能碰巧正确。基于性质的测试对所有输入陈述一条规则，让 hypothesis 去寻找反例。`micrograd.testing` 提供了策略与检查工具。

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
        return grad_output * 2 * x ** 2          # 错了：应该是 3x²


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
# ## 练习
#
# 为 softplus(x) = log(1 + eˣ) 写一个 Function `answer`。

# %%
class answer(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (1 + x.exp()).log()

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output          # 换掉这一行：d/dx log(1 + e^x)

# %%
from micrograd.exercises import ExerciseFailed, check_softplus_function

try:
    print(check_softplus_function(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
