"""The core: the engine a student reads, importing nothing else of micrograd.

Read it in this order: ``rules.py`` (each primitive's forward and vector-Jacobian product, as
named functions), ``value.py`` (``Value`` and recording an operation), ``nodes.py`` (a Value's
history), ``backward.py`` (the pass: newest first, local gradients, deliver) and ``pending.py``
(the Values waiting for their gradient).  ``ieee.py``, ``modes.py``, ``errors.py`` and
``graph.py`` are what those lean on.
"""
