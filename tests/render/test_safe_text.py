"""Text from a document is printed literally: no rich markup, no terminal escape sequences.

The attack (issue 11): a certificate whose common name is ``[bold green]Hợp lệ[/bold
green]`` printed a fake green "Hợp lệ" line, ``[link=…]`` made a live hyperlink, and an
ESC or OSC 8 sequence in /Reason reached the terminal as it was. Each test signs a real
PDF with the hostile values and prints the report the way the CLI does.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from rich.console import Console

from tests.batch.support import OFFLINE_ARGS, TRUST_ARGS, vnsign
from tests.conftest import FIXTURES
from tests.helpers import OFFLINE, fixture_trust
from tests.signing import issue_signer, sign_pdf
from vnsign import verify
from vnsign.render.safe_text import plain, visible
from vnsign.render.text import render

FAKE_VERDICT = "[bold green]Hợp lệ[/bold green]"
LINK_MARKUP = "[link=https://evil.example/]Hà Nội[/link]"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\Bấm vào đây\x1b]8;;\x1b\\"
CLEAR_SCREEN = "\x1b[2J"


def terminal_output(data: bytes) -> str:
    report = verify(data, trust=fixture_trust(), policy=OFFLINE)
    assert report.signatures and report.signatures[0].signer is not None
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="truecolor", width=300,
                      highlight=False)
    render(report, "vi", console)  # the compact view (signer names, fields, problems)
    render(report, "vi", console, details=True)  # and the full one (reason, field, stamp)
    return out.getvalue()


def test_markup_in_a_certificate_name_is_printed_literally() -> None:
    data = sign_pdf(issue_signer(FAKE_VERDICT), location=LINK_MARKUP,
                    field_name="[red]Chữ ký giả[/red]")
    text = terminal_output(data)
    assert FAKE_VERDICT in text
    assert LINK_MARKUP in text
    assert "[red]Chữ ký giả[/red]" in text
    assert "\x1b]8;" not in text  # rich writes OSC 8 only for a link style: none exists


def test_escape_sequences_from_the_document_are_made_visible() -> None:
    data = sign_pdf(issue_signer("Nguyễn Văn A" + CLEAR_SCREEN), reason=OSC8 + "\r\u202eA")
    text = terminal_output(data)
    assert "\x1b]8;" not in text and "\x1b[2J" not in text and "\r" not in text
    assert "\u202e" not in text
    assert "Nguyễn Văn A\\x1b[2J" in text
    assert "\\x1b]8;;https://evil.example/\\x1b\\Bấm vào đây" in text
    assert "\\x0d\\u202eA" in text


def test_visible_keeps_ordinary_vietnamese_and_lines_when_asked() -> None:
    assert visible("Bùi Văn Nam <buivannam@haiduong.gov.vn>") == \
        "Bùi Văn Nam <buivannam@haiduong.gov.vn>"
    assert visible("dòng 1\ndòng 2") == "dòng 1\\x0adòng 2"
    assert visible("dòng 1\ndòng 2", multiline=True) == "dòng 1\ndòng 2"
    assert visible("a\u200bb\x7f\x9b") == "a\\u200bb\\x7f\\x9b"
    assert plain(("[b]x[/b]", "bold")).plain == "[b]x[/b]"


def test_inspect_prints_a_hostile_file_name_literally(tmp_path: Path) -> None:
    hostile = tmp_path / "[bold green]Hợp lệ[on red] \x1b[2J.pdf"  # no "/" in a file name
    shutil.copyfile(FIXTURES / "unsigned.pdf", hostile)
    result = vnsign("inspect", "--lang", "vi", str(hostile))
    assert result.returncode == 0, result.stderr
    assert "[bold green]Hợp lệ[on red] \\x1b[2J.pdf" in result.stdout
    assert "\x1b" not in result.stdout


def test_batch_summary_prints_a_hostile_file_name_literally(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    hostile = docs / "[link=https:evil.example]x\x1b]8;;https:evil\x07.pdf"
    shutil.copyfile(FIXTURES / "tampered-flipped-byte.pdf", hostile)
    result = vnsign("batch", str(docs), "--workers", "1", "--lang", "en", *TRUST_ARGS,
                    *OFFLINE_ARGS)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "[link=https:evil.example]x\\x1b]8;;https:evil\\x07.pdf" in result.stdout
