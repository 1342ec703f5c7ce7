"""The course, shipped inside the wheel as ``micrograd.lessons`` (read with importlib.resources):
``NN_name.py`` in English, ``zh/`` in Chinese, ``solutions/`` the reference solutions.  Each
lesson is a script in the percent format; ``micrograd lessons export DIR`` makes notebooks."""
