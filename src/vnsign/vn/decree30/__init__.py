"""Administrative fields of a Vietnamese official document, read from the text of its pages.

Decree 30/2020/NĐ-CP (appendix I) fixes where each part of an administrative document sits:
a two-column header (parent and issuing agency, "Số:" and, for a dispatch, "V/v ..." on the
left; national motto and "<Place>, ngày .. tháng .. năm ...." on the right), the type line in
capitals with the subject under it, "Kính gửi:" recipients, the body, and a closing row with
the "Nơi nhận:" list on the left and the signer's authority, title and name on the right.

Text extraction flattens those tables: the two columns come out interleaved line by line (in
either order) or glued on one line, blank lines appear everywhere, the header may be an image
(then it is simply absent), and the visible signature stamps add their own lines. This package
recognises each part by its content rather than by its position, and reports ``None`` (or an
empty tuple) for every part the text does not show: a verifier must never present a guess as
something the document says.

Modules, in reading order:

- :mod:`.lexicon`: reference tables (document types, marks), compiled patterns and the small
  text predicates every reader shares;
- :mod:`.prepare`: page text to lines, visible signature stamps removed, the copy form;
- :mod:`.header`: agencies, number and symbol, place and date, marks, type and subject;
- :mod:`.closing`: recipients ("Kính gửi:"), "Nơi nhận:" and the signer block;
- :mod:`.model`: :class:`DocumentFields`, the result;
- :mod:`.parse`: :func:`parse`, the one entry point: a pure function over strings, linear in
  the input, that never raises. Heuristics that could go quadratic only run on short lines
  (real header/signature lines are short; a long line is body text).
"""

from __future__ import annotations

from vnsign.vn.decree30.lexicon import DOC_TYPES
from vnsign.vn.decree30.model import DocumentFields
from vnsign.vn.decree30.parse import parse

__all__ = ["DOC_TYPES", "DocumentFields", "parse"]
