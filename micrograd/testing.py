"""Hypothesis strategies and helpers for property tests of derivatives.

``micrograd.testing`` is the public name of ``micrograd.teaching.testing``, the same module object,
so that lessons write ``from micrograd.testing import ...`` (see the layers in ``micrograd/__init__.py``).
"""

import sys

from .teaching import testing

sys.modules[__name__] = testing
