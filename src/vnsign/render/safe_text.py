"""Untrusted text on a terminal: printed literally, with control characters made visible.

Almost everything a report shows was chosen by whoever made the file: signer names and
the rest of a certificate's subject, ``/Reason`` and ``/Location``, the stamp's text,
the document's metadata, even the file name. Two things must never happen to it:

* **markup**: rich reads ``[bold green]Hợp lệ[/bold green]`` in a string as style, and
  ``[link=…]`` as a live hyperlink, so a certificate named like that would print a fake
  verdict line. Renderers therefore never hand rich a ``str`` built from such text:
  they build a :class:`rich.text.Text` (which rich never parses) with :func:`plain`;
* **escape sequences**: an ESC, an OSC 8 hyperlink, a carriage return that rewinds
  the line, or a bidirectional override (U+202E) that reverses what follows reach the
  terminal as they are. :func:`visible` replaces every control, format and
  line-separator character with a visible escape (``\\x1b``, ``\\u202e``).

Every terminal renderer (``verify``, ``inspect``, the batch summary and progress,
``watch`` events) goes through this module; it is the one place that decides what is
shown. The check is by Unicode category, so it needs no list of dangerous sequences:
Cc (C0, DEL, C1 controls), Cf (bidi controls, zero-width characters, BOM), Zl, Zp
(line and paragraph separators) and Cs (lone surrogates). Vietnamese text (NFC)
contains none of them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from rich.text import Text

_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(value: object, *, multiline: bool = False) -> str:
    """``value`` as text with every invisible or controlling character made visible.

    With ``multiline`` a line feed stays a line break (the stamp's text has several
    lines); a carriage return never does, since it lets a line overwrite itself.
    """
    text = value if isinstance(value, str) else str(value)
    if all(unicodedata.category(c) not in _HIDDEN_CATEGORIES for c in text):
        return text  # the usual case: nothing to do
    return "".join(
        c if (unicodedata.category(c) not in _HIDDEN_CATEGORIES
              or (multiline and c == "\n")) else _escape(c)
        for c in text)


def plain(*parts: object | tuple[object, str], multiline: bool = False) -> Text:
    """A rich ``Text`` made of ``parts``, each shown literally (never read as markup).

    A part is a value, or ``(value, style)`` to style it; the style is vnsign's own,
    the value is untrusted.
    """
    result = Text()
    for part in parts:
        if isinstance(part, tuple):
            value, style = part
            result.append(visible(value, multiline=multiline), style=style)
        else:
            result.append(visible(part, multiline=multiline))
    return result


def joined(values: Iterable[object], separator: str = ", ") -> str:
    """Several untrusted values on one line, each made visible."""
    return separator.join(visible(v) for v in values)
