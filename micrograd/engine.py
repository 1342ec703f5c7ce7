"""``micrograd.engine``: Value and the backward pass, under the name karpathy's micrograd uses.

The same module object as ``micrograd.core.value`` (see the layers in ``micrograd/__init__.py``).
"""

import sys

from .core import value

sys.modules[__name__] = value
