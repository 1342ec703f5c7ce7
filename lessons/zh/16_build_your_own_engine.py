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
# # 16. 自己动手实现 micrograd
#
# 课程的第二部分：按照 karpathy 的讲座“The spelled-out intro to neural networks and
# backpropagation”的顺序，由你自己来写自动微分引擎。每一步最后都调用 `check(step)`，它会运行
# `micrograd.exercises.check_engine(Value, step)`：先在选定的数上逐个试你的类的每种运算，再在随机生成的
# 小程序上试，把每个数都和 micrograd 自己的引擎比较。出错时，它会告诉你是哪种运算、输入是什么、应该得到什么、
# 你的类给出了什么；如果是某个随机程序出了错，它会把这段程序打印出来，你可以直接粘贴运行看看。下面的代码单元
# 是骨架：把每个 `raise NotImplementedError(...)` 换成你的代码。参考答案在
# `lessons/solutions/16_build_your_own_engine.py`，请先自己尝试。

# %%
# 每一课都相同的第一个单元
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   只改这一行，PyTorch 的教程就能运行
from micrograd import draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

torch.set_language("zh")                                          # 检查器用中文说明问题
OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # 图片保存在这里，不会写进代码仓库
os.makedirs(OUT, exist_ok=True)

# %%
from micrograd.exercises import ExerciseFailed, check_engine


def check(step, **classes):
    # 检查你的 Value（同名类中最新的那个），一直到第 step 步
    try:
        check_engine(Value, step, **classes)
        print(torch.say(f"step {step}: correct", f"第 {step} 步：正确"))
    except ExerciseFailed as why:
        print(torch.say("Not yet:", "还没有通过："), why)

# %% [markdown]
# ## 第 1 步：记得自己从哪里来的数
#
# `Value` 在 `data` 里存一个数。两个 Value 相加或相乘时，结果是一个新的 Value，它还记得自己的输入
# （`_prev`，一个由 Value 组成的集合）和产生它的运算（`_op`，即 `'+'` 或 `'*'`）。这两个字段就是计算图，
# 后面的每一步都要沿着它走。
#
# 数字可以出现在 Value 的任意一侧。`a + 1.5` 调用的是 `a.__add__(1.5)`：先把数字包装起来，
# `other = other if isinstance(other, Value) else Value(other)`，这样 `_prev` 里就只有 Value。
# `1.5 + a` 会先问 float，float 不认识 Value，于是 Python 再调用 `a.__radd__(1.5)`；加法满足交换律，
# 所以 `__radd__` 直接返回 `self + other` 即可。`*` 和 `__rmul__` 也一样。

# %%
class Value:
    # 你的 Value：一个数，以及它是怎么算出来的

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self._prev = set(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        # 先包装数字，再返回 Value(self.data + other.data, (self, other), "+")
        raise NotImplementedError("step 1: __add__")

    def __mul__(self, other):
        raise NotImplementedError("step 1: __mul__")

    def __radd__(self, other):        # 1.5 + a
        raise NotImplementedError("step 1: __radd__")

    def __rmul__(self, other):        # 4 * a
        raise NotImplementedError("step 1: __rmul__")


check(1)

# %% [markdown]
# ## 第 2 步：每个 Value 都有梯度，再把计算图画出来
#
# 每个 Value 都有 `grad`，即最终输出对它的导数；在反向传播填入之前它是 0。另外还有一个可选的 `label`，
# 用于画图。`micrograd.draw` 能画任何带有 `data`、`grad`、`_prev` 和 `_op` 的对象，所以也能画你的计算图：
# 变量画成椭圆，运算画成矩形。（Python 允许新的类在上面那个类的基础上扩展：`class Value(Value)` 保留你已经
# 写好的方法，再添上新的。）

# %%
class Value(Value):
    def __init__(self, data, _children=(), _op="", label=""):
        super().__init__(data, _children, _op)
        self.grad = 0.0
        self.label = label


check(2)
try:
    a = Value(2.0, label="a")
    picture = draw(a * 4 + a)
except (NotImplementedError, TypeError) as err:
    picture = torch.say(f"(no drawing until step 1 passes: {err})", f"（第 1 步通过之前还画不出图：{err}）")
picture

# %% [markdown]
# ## 第 3 步：局部导数
#
# 反向传播就是对每个节点依次应用链式法则。若 `out = a + b`，则 ∂out/∂a = 1，∂out/∂b = 1；若
# `out = a * b`，则 ∂out/∂a = b，∂out/∂b = a。当最终输出 L 对 `out` 的梯度已知时（`out.grad` = ∂L/∂out），
# 链式法则告诉我们每个输入应得的那一份：
#
# ∂L/∂a = ∂L/∂out · ∂out/∂a，所以对 `*` 来说：`a.grad += b.data * out.grad`。
#
# 给每个 Value 一个 `_backward` 函数，让它为自己的输入做这件事：在 `__add__` 和 `__mul__` 里，紧挨着前向
# 计算定义 `def _backward(): ...`，并把它存进 `out._backward`。叶子节点没有什么要往下传：
# `self._backward = lambda: None`。检查器会把 `out.grad` 设成随机数，再调用 `out._backward()`，就像讲座里
# 手动做的那样。

# %%
class Value(Value):
    def __init__(self, data, _children=(), _op="", label=""):
        super().__init__(data, _children, _op, label)
        self._backward = lambda: None

    def __add__(self, other):
        raise NotImplementedError("step 3: __add__ with its _backward")

    def __mul__(self, other):
        raise NotImplementedError("step 3: __mul__ with its _backward")


check(3)

# %% [markdown]
# ## 第 4 步：`backward()`，按逆拓扑顺序
#
# 手动调用 `_backward` 对三个节点还行，对一个网络就不行了。`backward()` 对整张图做这件事：先设
# `self.grad = 1.0`（∂L/∂L = 1，即初始梯度），再对每个 Value 调用 `_backward`，而且要等所有用到它的 Value
# 都处理完之后才轮到它，因为只有所有使用者都把梯度传回来，一个节点的梯度才算完整。拓扑排序把每个 Value
# 排在它的输入之后（先访问输入，再把这个 Value 加入列表）；反向传播按这个顺序倒着走。

# %%
class Value(Value):
    def backward(self):
        raise NotImplementedError("step 4: backward")


check(4)

# %% [markdown]
# ## 第 5 步：被使用两次的 Value
#
# 在 `b = a + a` 中，∂b/∂a = 2：`a` 的每次使用各贡献 1。如果 `_backward` 用的是赋值
# （`self.grad = out.grad`），就只会留下最后一份，`a.grad` 变成 1。每一份都要加上去：`self.grad += ...`。
# 只要一个 Value 有多个使用者，比如一个权重被许多样本共用，就会遇到这种情况。如果你在第 3 步写的是赋值，
# 就回到那里改掉，再重新运行这些单元。

# %%
check(5)

# %% [markdown]
# ## 第 6 步：更多运算
#
# 写出以数字为指数的 `**`（∂xⁿ/∂x = n·xⁿ⁻¹）、`exp`（∂eˣ/∂x = eˣ，也就是 `out.data`）、
# `tanh`（∂tanh x/∂x = 1 − tanh²x）和 `relu`（x > 0 时为 1，否则为 0），每个都带上自己的 `_backward`。
# 其余的运算不需要单独求导：它们由已有的运算组合而成，链式法则会把导数组合起来：−a = a·(−1)，
# a − b = a + (−b)，a / b = a · b⁻¹。

# %%
class Value(Value):
    def __pow__(self, exponent):
        raise NotImplementedError("step 6: __pow__")

    def exp(self):
        raise NotImplementedError("step 6: exp")

    def tanh(self):
        raise NotImplementedError("step 6: tanh")

    def relu(self):
        raise NotImplementedError("step 6: relu")

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):        # 1.5 - a
        return other + (-self)

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):    # 3 / a
        return other * self ** -1


check(6)

# %% [markdown]
# ## 第 7 步：在你的引擎上搭一个神经网络
#
# 一个神经元计算 tanh(w·x + b)，其中权重 `w` 和偏置 `b` 都是 Value；一层是一组接收相同输入的神经元；
# 多层感知机（MLP）把每一层的输出送进下一层。`parameters()` 列出所有权重和偏置：MLP(3, [4, 4, 1]) 共有
# 3·4+4 + 4·4+4 + 4·1+1 = 41 个参数。检查器先用中心差分核对每个参数的梯度，再用你的引擎在讲座的四个样本上
# 做 100 步梯度下降（每次反向传播前都把梯度清零，因为梯度会累加），确认损失下降了。

# %%
import random


class Neuron:
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        raise NotImplementedError("step 7: tanh(w·x + b)")

    def parameters(self):
        return self.w + [self.b]


class Layer:
    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    def __init__(self, nin, nouts):
        sizes = [nin] + nouts
        self.layers = [Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        raise NotImplementedError("step 7: each layer's output feeds the next")

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


check(7, MLP=MLP)
