"""Remove a model's visible reasoning (<think>…</think> and friends) from its answer."""

from __future__ import annotations

import re

_TAGS = ("think", "thinking", "reasoning", "thought")
_NAMES = "|".join(_TAGS)
_BLOCK = re.compile(rf"<(?P<tag>{_NAMES})\b[^>]*>.*?</(?P=tag)\s*>", re.IGNORECASE | re.DOTALL)
_LEADING_OPEN = re.compile(rf"^\s*<(?:{_NAMES})\b[^>]*>", re.IGNORECASE)
_CLOSE = re.compile(rf"</(?:{_NAMES})\s*>", re.IGNORECASE)


def strip_reasoning(text: str) -> str:
    """Return `text` without reasoning blocks, whether closed, unterminated or half-open."""
    out = _BLOCK.sub("", text)
    if _LEADING_OPEN.match(out):
        # an opening tag never closed: the answer was cut off inside its reasoning
        return ""
    # some chat templates put the opening tag in the prompt, so only the closing one comes back
    last_close = None
    for last_close in _CLOSE.finditer(out):  # noqa: B007 - we want the last match
        pass
    if last_close is not None:
        out = out[last_close.end() :]
    return out.strip()
