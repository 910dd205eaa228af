"""The document's name dictionary: named appearance streams added with comments.

Acrobat keeps the icons of the comments it draws (the speech bubble of a sticky note)
as named appearance streams, in the /AP name tree of the catalog's /Names dictionary,
and creates that dictionary the first time someone comments on a document. pyHanko
compares the catalog strictly, so the first comment after signing failed the
signature although the comment itself is permitted (EU DSS's "annotation added"
case).

:class:`NamesRule` takes over the /Names entry from pyHanko's catalog rule (which is
told to ignore it) and clears exactly one kind of change, at level ANNOTATIONS: /AP
entries added, each a *new* form XObject, every earlier entry kept. Every other change
of /Names raises, because the entries it holds are powerful: /JavaScript runs when the
document opens, /EmbeddedFiles carries attachments, /Dests and /Templates change what
links and page templates do. Those stay disallowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import RawPdfPath
from pyhanko.sign.diff_analysis import (
    ModificationLevel,
    QualifiedWhitelistRule,
    ReferenceUpdate,
    SuspiciousModification,
)
from pyhanko.sign.diff_analysis.rules_api import Context

from vnsign.pdf.objects import raw
from vnsign.validation.modifications.notes import note

_LEVEL = ModificationLevel.ANNOTATIONS
_MAX_NODES = 100_000


class NamesRule(QualifiedWhitelistRule):
    """Clear named appearance streams added to /Names; refuse any other change."""

    def apply_qualified(self, old: Any, new: Any
                        ) -> Iterator[tuple[ModificationLevel, ReferenceUpdate]]:
        old_raw, new_raw = raw(old.root, "/Names"), raw(new.root, "/Names")
        written = set(new.explicit_refs_in_revision())
        rewritten = isinstance(new_raw, generic.IndirectObject) and \
            new_raw.reference in written
        if old_raw == new_raw and not rewritten:
            return
        if new_raw is None:
            raise SuspiciousModification("/Names was removed")
        old_names = _plain(old_raw.get_object()) if old_raw is not None else \
            generic.DictionaryObject()
        new_names = _plain(new_raw.get_object())
        if old_names is None or new_names is None:
            raise SuspiciousModification("/Names is not a dictionary")
        for key in (set(old_names.keys()) | set(new_names.keys())) - {"/AP"}:
            if raw(old_names, key) != raw(new_names, key):
                raise SuspiciousModification(f"/Names {key} was changed after signing")
        updates = list(_appearance_updates(old, new, old_names, new_names))
        if isinstance(new_raw, generic.IndirectObject):
            if new_raw == old_raw:
                updates.append(ReferenceUpdate(new_raw.reference, context_checked=(
                    Context.from_absolute(old, RawPdfPath("/Root", "/Names")))))
            elif old.is_ref_unassignable(new_raw.reference):
                updates.append(ReferenceUpdate(new_raw.reference))
            else:
                raise SuspiciousModification("/Names points at an existing object")
        note("NAMED_APPEARANCES_ADDED")
        yield from ((_LEVEL, update) for update in updates)


def _appearance_updates(old: Any, new: Any, old_names: Any, new_names: Any
                        ) -> Iterator[ReferenceUpdate]:
    old_nodes: list[Any] = []
    new_nodes: list[Any] = []
    old_entries = _name_tree(raw(old_names, "/AP"), old_nodes)
    new_entries = _name_tree(raw(new_names, "/AP"), new_nodes)
    if old_entries is None or new_entries is None:
        raise SuspiciousModification("/Names /AP is not a name tree")
    for name, value in old_entries.items():
        if new_entries.get(name) != value:
            raise SuspiciousModification(f"named appearance {name!r} changed or removed")
    for name, value in new_entries.items():
        if name in old_entries:
            continue
        stream = value.get_object() if isinstance(value, generic.IndirectObject) else None
        if not isinstance(stream, generic.StreamObject) or \
                raw(stream, "/Subtype") != "/Form" or \
                not old.is_ref_unassignable(value.reference):
            raise SuspiciousModification(f"named appearance {name!r} is not a new form")
        yield ReferenceUpdate(value.reference)
        yield from (ReferenceUpdate(dep) for dep in
                    new.collect_dependencies(stream, since_revision=old.revision + 1))
    for node in new_nodes:
        if node not in old_nodes and not old.is_ref_unassignable(node):
            raise SuspiciousModification("the /AP name tree reuses an existing object")
        yield ReferenceUpdate(node)


def _name_tree(root: Any, nodes: list[Any]) -> dict[bytes, Any] | None:
    """A name tree's entries (key bytes -> unresolved value); {} when absent."""
    entries: dict[bytes, Any] = {}
    if root is None:
        return entries
    stack = [root]
    while stack:
        node_raw = stack.pop()
        if isinstance(node_raw, generic.IndirectObject):
            if node_raw.reference in nodes or len(nodes) > _MAX_NODES:
                return None
            nodes.append(node_raw.reference)
        node = _plain(node_raw.get_object() if isinstance(node_raw, generic.IndirectObject)
                      else node_raw)
        if node is None:
            return None
        pairs = raw(node, "/Names")
        if pairs is not None:
            if not isinstance(pairs, generic.ArrayObject) or len(pairs) % 2:
                return None
            for i in range(0, len(pairs), 2):
                key = pairs.raw_get(i)
                if not isinstance(key, (generic.TextStringObject, generic.ByteStringObject)):
                    return None
                entries[bytes(key.original_bytes)] = pairs.raw_get(i + 1)
        kids = raw(node, "/Kids")
        if kids is not None:
            if not isinstance(kids, generic.ArrayObject):
                return None
            stack.extend(kids.raw_get(i) for i in range(len(kids)))
    return entries


def _plain(obj: Any) -> Any | None:
    if isinstance(obj, generic.DictionaryObject) and not isinstance(obj, generic.StreamObject):
        return obj
    return None
