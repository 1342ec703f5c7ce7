"""Drawings of computation graphs: ``draw``, ``render``, ``Drawing``.

``micrograd.drawing`` is the public name of ``micrograd.teaching.drawing``, the same module object,
so that lessons write ``from micrograd.drawing import ...`` (see the layers in ``micrograd/__init__.py``).
"""

import sys

from .teaching import drawing

sys.modules[__name__] = drawing
