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
# # 12. 逐步反向传播

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
# 反向传播按逆拓扑序访问节点：只有当所有使用某节点的节点都把梯度传回后，它的梯度才完整。被使用两次的节点会**累加**梯度。

# %%
x = Value(2.0, label="x")
y = x * x                   # x 被用了两次：dy/dx = x + x
y.label = "y"
z = y + x                   # 这里又用了一次
z.label = "z"
steps = torch.teaching.replay.backward_steps(z)
for v, g in steps:
    print(f"{v.label or v._op:>3}: gradient {g}")
assert [v.label for v, _ in steps] == ["z", "y", "x"] and steps[-1][1] == 2 * 2.0 + 1
page = os.path.join(OUT, "12_replay.html")
try:
    shown = torch.replay(z, page)
    print("open", page, "in a browser to step through")
except RuntimeError as err:
    shown = None
    print("replay needs Graphviz:", err)
shown             # 在 notebook 里，回放页面（带按钮）就显示在这里

# %% [markdown]
# 回放的每一步都是对一个节点应用链式法则。一个 Value x 的梯度是一个和式，x 每被使用一次就有一项：传到使用它的那个
# 结果上的梯度（上游梯度 ∂z/∂u），乘以该运算在导数表中那一行给出的局部导数 ∂u/∂x。这里 x 被使用了三次，两次在
# y = x·x 中，一次在 z 中：
#
# ∂z/∂x = ∂z/∂y · ∂y/∂x（第一次使用）+ ∂z/∂y · ∂y/∂x（第二次使用）+ ∂z/∂z · ∂z/∂x = 1·2 + 1·2 + 1·1 = 5。
#
# 回放页面一步一步显示这些说明；`caption` 打印其中一条。
# %%
terms = torch.teaching.replay.chain_rule_terms(steps)
names = torch.teaching.replay.value_names(steps, {"x": x, "y": y, "z": z})
gradient = dict((id(v), g) for v, g in steps)
print(torch.teaching.replay.caption(x, gradient[id(x)], terms[id(x)], names, "z"))
# z = x·x + x：∂z/∂y = 1 传到 y，y = x·x 给 x 的两次使用各传回 1·x，z 直接传回 1
assert [(names[id(t.user)], t.upstream, t.local) for t in terms[id(x)]] == [("z", 1.0, 1.0), ("y", 1.0, 2.0), ("y", 1.0, 2.0)]
assert sum(t.upstream * t.local for t in terms[id(x)]) == gradient[id(x)] == 2 * 2.0 + 1

# %% [markdown]
# 钩子在反向传播完成每个梯度时看到它（`register_hook`）；这里它观察 x 的梯度只到达一次，并且已经把 x 的三次使用累加起来。

# %%
seen = []
x = Value(2.0, label="x")
handle = x.register_hook(lambda g: seen.append(g))
(x * x + x).backward()
handle.remove()
print("the hook saw", seen)
assert seen == [2 * 2.0 + 1]

# %% [markdown]
# ## 走进 micrograd：在源码里跟踪 `x * y`
#
# 上面发生的一切，都写在几个有名字、读得懂的普通函数里。`x * y` 调用 `Value.__mul__`
# （在 `micrograd/core/value.py` 中），这个方法只有一行：把基本运算 `MUL` 交给 `apply`。
# 下面直接从已安装的包里读出这一行：

# %%
import inspect

from micrograd.core import backward as passes
from micrograd.core import rules

print(inspect.getsource(Value.__mul__))

# %% [markdown]
# `MUL` 定义在 `micrograd/core/rules.py` 里，相当于 PyTorch 的 `derivatives.yaml`。
# 每个基本运算是两个有名字的函数，登记在同一个名字下：前向计算 `mul`，以及
# **向量-雅可比积** `mul_vjp`：已知 g = ∂L/∂out，返回 ∂L/∂x = g·∂out/∂x = g·y 和
# ∂L/∂y = g·x，它的文档字符串写明了局部导数。第一个参数 `m` 是规则要用的数学函数：
# 这里是浮点数版本（`rules.FloatMath`）；`create_graph=True` 时换成 Value 版本
# （`rules.ValueMath`），于是同一条规则还能给出二阶导数。先读一读，再亲手调用它：

# %%
print(inspect.getsource(rules.mul_vjp))
print(rules.MUL, rules.MUL.symbol, rules.MUL.grad_fn_name)
print(rules.mul_vjp(rules.FloatMath, 1.0, 6.0, 2.0, 3.0))    # g = 1，out = 6，x = 2，y = 3
assert rules.mul_vjp(rules.FloatMath, 1.0, 6.0, 2.0, 3.0) == (3.0, 2.0)

# %% [markdown]
# `apply` 用 `rules.mul` 算出数值，把这个基本运算记在结果的 `_node`（它的来历）里，
# 把两个操作数记在 `_a` 和 `_b` 里。之后 `backward()` 运行 `micrograd/core/backward.py`
# 里的反向传播。把它的循环念出来，就是 karpathy 的 `for v in reversed(topo): v._backward()`，
# 分成三步：按从新到旧的顺序取出 Value，每个都带着完整的梯度；向它的节点要局部梯度
# （基本运算调用自己的 vjp）；把每个输入的那一份梯度送过去。输出处 g = 1，
# 于是 `a` 收到 g·b = 3，`b` 收到 g·a = 2：

# %%
print(inspect.getsource(passes.backpropagate))
a, b = Value(2.0, label="a"), Value(3.0, label="b")
out = a * b
print(out._node is rules.MUL, out._a is a, out._b is b)
assert out._node is rules.MUL and out._a is a and out._b is b
out.backward()
print(a.grad, b.grad)
assert (a.grad, b.grad) == (3.0, 2.0)

# %% [markdown]
# `.grad` 是在 `receive` 里写入的（先运行钩子函数，再累加梯度）。普通的 `loss.backward()`
# 走的是 `passes.plain_backward`：同样的步骤，为了速度展开成一个循环；测试会在随机计算图上
# 检查两条路径给出的梯度完全相同。想在调试器里一步步走可读的那条路径，先设
# `passes.use_fast_pass = False`。
#
# 反向传播怎么知道哪个 Value 是"最新"的？每个 Value 创建时都会得到一个编号
# （`_stamp`：0、-1、-2……依次递减），而一个运算的输入总是先于它的结果被创建，
# 所以创建顺序本身就是一种拓扑排序：既不用搜索计算图，也不用排序。反向传播把等待梯度的
# Value 按"年龄"放进一个列表（`micrograd/core/pending.py`）：Value 的位置是
# "它的编号 − 输出的编号"，旁边记着它目前收到的梯度之和；循环从列表开头往后读。
# 每个输入在列表里都排在用到它的 Value 之后，所以循环读到它时，它的梯度已经完整了：

# %%
p, q = Value(2.0, label="p"), Value(3.0, label="q")
r = p * q
r.label = "r"
s = r + p
s.label = "s"
position = {v.label: v._stamp - s._stamp for v in (p, q, r, s)}
print(position)
assert position["s"] == 0 and position["r"] < position["q"] < position["p"]
run = passes.Pass({s: 1.0})
order = []
for v, g in run.newest_first():          # 把 backpropagate 的循环抄出来，好看清每一步
    order.append((v.label, g))
    g = run.receive(v, g)
    for x, gx in v._node.local_gradients(v, g, run):
        run.deliver(x, gx)
print(order)
assert order == [("s", 1.0), ("r", 1.0), ("q", 2.0), ("p", 4.0)]

# %% [markdown]
# 给 micrograd 添加一个基本运算，就是写出它的两个函数和它的 `Primitive`，再把它列进
# 表 `rules.PRIMITIVES`。
# `clamp` 就是这样加进来的：min(max(x, lo), hi)，在上下界之间（含边界）斜率为 1，界外为 0。
# 有了它们，它就成了 `Value.clamp`、`Tensor.clamp`、`micrograd.clamp`、`micrograd draw`
# 公式里可用的函数，也进入了性质测试，不需要再改任何别的列表：

# %%
print(inspect.getsource(rules.clamp_vjp))
c = Value(1.5, label="c")
clamped = c.clamp(0.0, 1.0)          # 1.0：超过了上界
clamped.backward()
print(clamped.data, c.grad)          # 在 [0, 1] 之外斜率为 0
assert (clamped.data, c.grad) == (1.0, 0.0)
inside = Value(0.5)
inside.clamp(0.0, 1.0).backward()
assert inside.grad == 1.0
print(torch.clamp(torch.tensor([-1.0, 0.5, 2.0]), min=0.0))

# %% [markdown]
# ## 练习
#
# 写出 `answer(root)`：列出 root 依赖的所有 Value，每个都排在它的输入之后。

# %%
def answer(root):
    return [root]          # 换掉这一行：沿 v._prev 做深度优先搜索

# %%
from micrograd.exercises import ExerciseFailed, check_topological_order

try:
    print(check_topological_order(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
