"""Building blocks shared by the terminal views (compact and ``--details``): colours,
verdict words and finding lines.

Everything a PDF says — signer names, /Reason, stamp text, metadata, file names, the
details inside finding messages — is written by whoever made the file, so it reaches
rich only through :func:`vnsign.render.safe_text.plain`: literally, never as markup,
with control characters made visible.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.text import Text

from vnsign.models import Finding
from vnsign.render.labels import label
from vnsign.render.safe_text import plain

STYLE = {"PASSED": "bold green", "FAILED": "bold red", "INDETERMINATE": "bold yellow",
         "NO_SIGNATURE": "bold yellow"}
SEVERITY_STYLE = {"INFO": "dim", "WARNING": "yellow", "ERROR": "red"}
SEVERITY_MARK = {"ERROR": "✗", "WARNING": "!", "INFO": "·"}


def verdict_word(indication: str, lang: str) -> Text:
    """The verdict in words, in its colour: Hợp lệ (green), Không hợp lệ (red), ..."""
    return Text(label(indication, lang), style=STYLE.get(indication, ""))


def finding_line(finding: Finding, lang: str) -> Text:
    style = SEVERITY_STYLE.get(finding.severity.value, "")
    text = finding.message.vi if lang == "vi" else finding.message.en
    line = Text(f"  • [{finding.code}] ", style=style)
    line.append(plain((text, style)))
    return line


def finding_lines(items: Sequence[Finding], lang: str) -> Group:
    return Group(*(finding_line(f, lang) for f in items))
