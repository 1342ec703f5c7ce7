"""Where the lessons are: the package data of ``micrograd.lessons``, read with importlib.resources.

The repository keeps them in its top-level ``lessons/`` folder; setup.cfg maps that folder to the
package ``micrograd.lessons`` (``package_dir``), so an installed wheel has them in
``micrograd/lessons/`` (with ``zh/`` and ``solutions/``) and ``micrograd lessons`` works from any folder.
"""

from __future__ import annotations

import importlib.resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable  # Python 3.11; importlib.abc's in 3.10

PACKAGE = "micrograd.lessons"
FOLDERS = {"en": (), "zh": ("zh",), "solutions": ("solutions",)}


def lessons_root() -> Traversable:
    """The files of micrograd.lessons (in a clone's editable install, its lessons/ folder)."""
    try:
        return importlib.resources.files(PACKAGE)
    except ModuleNotFoundError:
        raise FileNotFoundError(
            f"no lessons: this installation of micrograd has no {PACKAGE} "
            "(reinstall micrograd-classroom)"
        ) from None


def lesson_files(language: str = "en") -> list[Traversable]:
    """The lessons in `language` ("en", "zh", or "solutions"), in order: the files named NN_*.py."""
    folder = lessons_root()
    for part in FOLDERS[language]:  # one name at a time: Python 3.10's joinpath takes one
        folder = folder.joinpath(part)
    if not folder.is_dir():
        raise FileNotFoundError(
            f"no lessons: {PACKAGE} has no {'/'.join(FOLDERS[language])} folder"
        )
    return sorted(
        (
            f
            for f in folder.iterdir()
            if f.name[:2].isdigit() and f.name.endswith(".py") and f.is_file()
        ),
        key=lambda f: f.name,
    )
