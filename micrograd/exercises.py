"""The lessons' exercises and their checkers.

``micrograd.exercises`` is the public name of ``micrograd.teaching.exercises``, the same module object,
so that lessons write ``from micrograd.exercises import ...`` (see the layers in ``micrograd/__init__.py``).
"""

import sys

from .teaching import exercises

sys.modules[__name__] = exercises
