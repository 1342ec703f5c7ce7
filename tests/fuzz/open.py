"""Mismatches with PyTorch the fuzzer still finds in the CI campaign, kept so that CI catches
any *new* one while these wait for a fix.

These are bugs, not differences: none is documented in the README, and each entry should go
away (the CI test fails when an entry no longer occurs, so the list only shrinks).  They are
signatures as the campaign reports them (``./dev fuzz`` or the CI test prints a shrunk
reproduction of each).
"""

from __future__ import annotations

OPEN: frozenset[str] = frozenset()
"""The signatures of the CI campaign's mismatches not fixed yet."""
