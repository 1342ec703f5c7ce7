"""The teaching tools, on top of the core and the PyTorch-shaped shell: drawings and the backward
replay, the lessons' checkers and runners, the ``micrograd`` command, plots and the demo's data."""
