"""The demo's training loop (an MLP on two moons).

``micrograd.training`` is the public name of ``micrograd.teaching.training``, the same module object,
so that lessons write ``from micrograd.training import ...`` (see the layers in ``micrograd/__init__.py``).
"""

import sys

from .teaching import training

sys.modules[__name__] = training
