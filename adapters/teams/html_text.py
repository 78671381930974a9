"""Teams message HTML (<p>, <div>, <br>, <at>, &nbsp; …) → plain text for the coaching core.

Control characters (NUL…) are dropped; bidi marks and emoji joiners are kept: they are text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "tr", "blockquote", "h1", "h2", "h3"})
_SKIP = frozenset({"script", "style"})
_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z/!]|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\n{2,}")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL and friends; not \t \n \r


class _TextCollector(HTMLParser):
    """Keeps text, turns block tags into line breaks, drops script/style and other markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(raw: str) -> str:
    """The readable text of a Teams message; plain text without markup passes through."""
    if _LOOKS_LIKE_HTML.search(raw):
        collector = _TextCollector()
        collector.feed(raw)
        collector.close()
        raw = "".join(collector.parts)
    raw = _CONTROLS.sub("", raw)
    lines = (_SPACES.sub(" ", line).strip() for line in raw.replace("\r", "\n").split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()
