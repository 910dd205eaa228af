"""The size of a page drawn by pdfium, and the bound on it: one rule for every drawing.

Both the visual check and the OCR draw pages through pdfium, at their own scales. A page
may be as large as PDF allows (200 inches square without /UserUnit), so each drawing is
sized here first and refused before a pixel is allocated when it would be too large.
"""

from __future__ import annotations

import math
from typing import Any


def picture_size(page: Any, scale: float, max_pixels: int) -> tuple[int, int]:
    """(width, height) in pixels of ``page`` drawn at ``scale``, computed as
    ``page.render(scale=scale)`` computes it (the page as displayed, /Rotate applied; the
    scale applied to each side, so 792 × (300 / 72) rounds up to 3301, not 3300).

    ``ValueError`` for an empty page, as pdfium refuses it, and for one of more than
    ``max_pixels`` (the caller's drawing does not run, and says why).
    """
    width = math.ceil(page.get_width() * scale)
    height = math.ceil(page.get_height() * scale)
    if width < 1 or height < 1:
        raise ValueError("Crop exceeds page dimensions")  # what page.render says
    if width * height > max_pixels:
        raise ValueError(f"page too large to draw: {width} × {height} pixels")
    return width, height
