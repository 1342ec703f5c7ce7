"""The language micrograd speaks to students: English, or Chinese (中文).

The exercise checkers and the backward replay page say things to students.  Each message is
written in both languages where it is said (``say("expected 2", "应为 2")``), so a reader sees
both versions side by side.  Which one is shown:

1. the language set by ``set_language("zh")`` (the Chinese lessons do this in their first cell);
2. otherwise the environment variable ``MICROGRAD_LANG`` (``zh``, ``zh_CN``... mean Chinese);
3. otherwise English.

Error messages for programmers (a wrong argument type, an unsupported PyTorch feature) stay in
English, as PyTorch's do: they are searched for on the web.
"""

from __future__ import annotations

import os

LANGUAGES = ("en", "zh")
"""The languages micrograd speaks: English and Chinese."""

_chosen: str | None = None


def set_language(language: str | None) -> None:
    """Speak `language` ("en" or "zh") from now on; None goes back to ``MICROGRAD_LANG``."""
    global _chosen
    if language is not None and language not in LANGUAGES:
        raise ValueError(
            f"language must be one of {', '.join(map(repr, LANGUAGES))} or None, got {language!r}"
        )
    _chosen = language


def language() -> str:
    """The language in use now: "en" or "zh"."""
    if _chosen is not None:
        return _chosen
    return "zh" if os.environ.get("MICROGRAD_LANG", "").lower().startswith("zh") else "en"


def say(english: str, chinese: str) -> str:
    """The message in the language in use: `english` or `chinese`."""
    return chinese if language() == "zh" else english


__all__ = ["LANGUAGES", "set_language", "language", "say"]
