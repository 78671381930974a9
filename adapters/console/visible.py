"""Text from people made safe to print on a terminal: control characters shown, never obeyed."""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, and the C1 controls (U+0080..U+009F): a terminal would
# act on them (an ESC starts a sequence that can move the cursor, recolour or retitle).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` with each control character written out ("\\x1b"), so it prints as it is."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
