"""What vnsign's own rules cleared, carried from the difference analysis to the report.

pyHanko's rules only answer "this object may change, at this level"; they have no way to
say *what* changed. vnsign's rules do say it, because a clerk must be told when, say,
an inherited page size was written into a page after signing: permitted, but a fact.
A rule calls :func:`note` when it clears a change; :class:`NotingDiffPolicy` collects
the notes of one review (one signature) and returns them with pyHanko's result, as a
:class:`NotedDiffResult`. A review that ends in a disallowed change returns pyHanko's
``SuspiciousModification`` as before, and its notes are dropped: nothing was cleared.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pyhanko.sign.diff_analysis import (
    DiffResult,
    ModificationLevel,
    QualifiedWhitelistRule,
    ReferenceUpdate,
    StandardDiffPolicy,
)
from pyhanko.sign.diff_analysis.policies import _find_orphans

_NOTES: ContextVar[dict[tuple[str, str], None] | None] = ContextVar("vnsign_diff_notes",
                                                                     default=None)
# Whether the signature under review certifies the document (has a DocMDP permission).
_CERTIFIED: ContextVar[bool] = ContextVar("vnsign_diff_certified", default=False)


@dataclass(frozen=True)
class Note:
    """One kind of change a vnsign rule cleared: a finding code and what it concerns."""

    code: str
    detail: str = ""


@dataclass(frozen=True)
class NotedDiffResult(DiffResult):
    """pyHanko's DiffResult plus the notes of vnsign's rules, in the order first made."""

    notes: tuple[Note, ...] = ()


def certification_in_force() -> bool:
    """True while the signature under review is a certification (DocMDP) signature."""
    return _CERTIFIED.get()


def note(code: str, detail: str = "") -> None:
    """Record that a rule cleared a change of kind ``code`` (a finding code)."""
    notes = _NOTES.get()
    if notes is not None:
        notes.setdefault((code, detail), None)


class NotingDiffPolicy(StandardDiffPolicy):
    """pyHanko's StandardDiffPolicy that also returns what vnsign's rules cleared."""

    def review_file(self, reader: Any, base_revision: Any, field_mdp_spec: Any = None,
                    doc_mdp: Any = None) -> Any:
        token = _NOTES.set({})
        certified = _CERTIFIED.set(doc_mdp is not None)
        try:
            result = super().review_file(reader, base_revision,
                                         field_mdp_spec=field_mdp_spec, doc_mdp=doc_mdp)
            notes = tuple(Note(code, detail) for code, detail in (_NOTES.get() or {}))
        finally:
            _CERTIFIED.reset(certified)
            _NOTES.reset(token)
        if not isinstance(result, DiffResult):
            return result  # SuspiciousModification: nothing was cleared
        return NotedDiffResult(modification_level=result.modification_level,
                               changed_form_fields=result.changed_form_fields, notes=notes)


class OrphanRule(QualifiedWhitelistRule):
    """pyHanko's "ignore orphaned objects", computed once per revision.

    New objects that nothing reachable uses are cleared at LTA_UPDATES, exactly as
    StandardDiffPolicy does with ``ignore_orphaned_objects=True``. pyHanko recomputes
    them for every (signed revision, later revision) pair although they depend on the
    later revision alone; on a tagged document signed six times that walk was a
    quarter of the difference analysis. The policy is built with
    ``ignore_orphaned_objects=False`` and this rule in its place.
    """

    def __init__(self) -> None:
        self._orphans: dict[int, tuple[Any, frozenset[Any]]] = {}

    def apply_qualified(self, old: Any, new: Any
                        ) -> Iterator[tuple[ModificationLevel, ReferenceUpdate]]:
        cached = self._orphans.get(id(new))
        if cached is None or cached[0] is not new:
            cached = (new, frozenset(_find_orphans(new)))
            self._orphans[id(new)] = cached
        for ref in cached[1]:
            yield ModificationLevel.LTA_UPDATES, ReferenceUpdate(ref)
