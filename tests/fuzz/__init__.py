"""A differential fuzzer: random tensor programs run on micrograd and on PyTorch, compared.

* ``programs.py`` writes the programs (a hypothesis strategy): lines of Python such as
  ``t2 = t0 + t1`` or ``t1[0] = 2.5`` that run unchanged with ``T`` bound to either library;
* ``compare.py`` is the interpreter: it runs a program on both, line by line, and after every
  line compares every live tensor (error or not, shape, dtype, values, flags, ``str``);
* ``known.py`` lists the differences the README documents, which the comparison lets pass;
* ``campaign.py`` runs many programs, buckets the mismatches by signature and has hypothesis
  shrink one reproduction for each; ``python -m fuzz N`` (``./dev fuzz N``) is its command line.

``tests/test_fuzz_torch.py`` runs a bounded campaign in the test suite.
"""
