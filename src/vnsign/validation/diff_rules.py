"""vnsign's modification policy: which rules judge the changes made after signing.

pyHanko's difference analysis compares the signed revision with every later one and
asks its rules to *explain* each object written since; whatever no rule explains makes
the level OTHER (not permitted). pyHanko's default rules were written against its own
output and refuse much of what real signing tools write, so genuine documents failed.
vnsign keeps every pyHanko rule and its checks, and adds one rule per kind of benign
change, each in ``vnsign.validation.modifications`` with the case for it and what stays
disallowed, each leaving a note that becomes a finding saying what changed:

============================  ==================================  ================
rule                          clears                              level
============================  ==================================  ================
SigningAfterCertification     new signed signature fields after   FORM_FILLING
                              a certification (DocMDP P=2/3)
PageRule                      signature widgets and comments      LTA / ANNOTATIONS
                              added to pages; inherited page      LTA
                              attributes written out unchanged
PageTreeMarkerRule            iText's /ITXT version marker        LTA
StructureTreeRule             tagged-PDF bookkeeping for new      LTA
                              widgets and annotations
FieldWidgetRule               appearance of widgets kept apart    FORM_FILLING
                              from their (filled) field
DSSRule                       VRI entries extended (LTV)          LTA
MetadataRule                  an empty or unparsable later XMP    LTA
NamesRule                     named appearance streams for        ANNOTATIONS
                              comments
DanglingTrailerReferenceRule  a private trailer entry's dangling  LTA
                              reference filled
============================  ==================================  ================

docs/security.md argues each one. The visual check (``vnsign.pdf.visual``) then
compares what a reader sees, whatever the rules allowed.
"""

from __future__ import annotations

from pyhanko.sign.diff_analysis import (
    CatalogModificationRule,
    DocInfoRule,
    FormUpdatingRule,
    GenericFieldModificationRule,
    ModificationLevel,
    ObjectStreamRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    XrefStreamRule,
)
from pyhanko.sign.diff_analysis.constants import ROOT_EXEMPT_STRICT_COMPARISON

from vnsign.validation.modifications.dss import DSSRule
from vnsign.validation.modifications.forms import FieldWidgetRule, field_value_keys
from vnsign.validation.modifications.metadata import MetadataRule
from vnsign.validation.modifications.names import NamesRule
from vnsign.validation.modifications.notes import NotingDiffPolicy, OrphanRule
from vnsign.validation.modifications.pages import PageRule, PageTreeMarkerRule
from vnsign.validation.modifications.signing import SigningAfterCertificationRule
from vnsign.validation.modifications.structure import StructureTreeRule
from vnsign.validation.modifications.trailer import DanglingTrailerReferenceRule

_LTA = ModificationLevel.LTA_UPDATES


def vnsign_diff_policy() -> StandardDiffPolicy:
    """pyHanko's default policy (DEFAULT_DIFF_POLICY) with vnsign's rules in place.

    Differences from pyHanko's default, rule by rule: the catalog rule leaves /Names to
    NamesRule; DSSCompareRule and MetadataUpdateRule are replaced by their vnsign
    versions (same checks, plus the cases above); SigFieldCreationRule is replaced by
    SigningAfterCertificationRule and no longer binds widgets to pages (PageRule judges
    every page's /Annots, so a comment next to a new signature does not condemn it);
    the field rule also accepts /I, the selection of a choice field.
    """
    return NotingDiffPolicy(
        global_rules=[
            CatalogModificationRule(
                ignored_keys=ROOT_EXEMPT_STRICT_COMPARISON | {"/Names"}),
            DocInfoRule().as_qualified(_LTA),
            XrefStreamRule().as_qualified(_LTA),
            ObjectStreamRule().as_qualified(_LTA),
            DSSRule().as_qualified(_LTA),
            MetadataRule().as_qualified(_LTA),
            PageRule(),
            PageTreeMarkerRule(),
            StructureTreeRule(),
            NamesRule(),
            DanglingTrailerReferenceRule(),
            OrphanRule(),
        ],
        form_rule=FormUpdatingRule(field_rules=[
            SigningAfterCertificationRule(),
            SigFieldModificationRule(),
            GenericFieldModificationRule(value_update_keys=field_value_keys()),
            FieldWidgetRule(),
        ]),
        ignore_orphaned_objects=False,  # OrphanRule does it, once per revision
    )
