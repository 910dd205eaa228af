"""Misbehaving stamp renderers, run *inside* the thumbnail child process
(``StampRenderer(renderer="tests.render.thumbnail_hooks:…")``), as a hostile page would
make pdfium behave: loop, allocate without end, crash. No tests here."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

from vnsign.render.thumbnails import render_stamps


def by_name(data: bytes, stamps: Sequence[Any]) -> dict[int, bytes]:
    """Misbehave according to a marker in the document's bytes, else draw normally."""
    if b"%HANG" in data:
        time.sleep(600)
    if b"%HOG" in data:
        hoard = []
        while True:  # until the address-space limit says no
            hoard.append(bytearray(64 << 20))
    if b"%CRASH" in data:
        os._exit(9)
    return render_stamps(data, stamps)
