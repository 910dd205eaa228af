"""Path validation remembered per process, for inputs that make it a pure function.

A batch validates the same chains again and again: the agency's certificate four times
per document, the person's and the timestamp authority's once, and the same ones in
the next document. pyHanko validates each path from scratch (certificate signatures,
validity, name constraints, policies, revocation). This module wraps the one call that
does it for a signer's or a timestamp's certificate (``find_valid_path`` in
``pyhanko.sign.validation.generic_cms``) so that a path validated once is not
validated again when nothing the result depends on differs.

The result is remembered only where it is a function of the key alone:

* the validation context cannot fetch anything and holds no CRL or OCSP response at
  all — with revocation data (fetched, embedded in the document, or given), whether
  and how it applies depends on its freshness and proofs of existence at that
  moment, so such a validation always runs;
* the key holds the path (each certificate's SHA-256, the trust anchor's qualifiers),
  the validation time and the best signature time, the time tolerance, the revocation
  policy, the PKIX parameters, the algorithm policy, the signature validator and every
  trust anchor of the context's trust manager. A context whose policy objects are of
  unknown kind is keyed on those objects themselves (never shared).

A hit replays what the validation leaves in the context (the validated sub-paths,
the qualified policies of the path, soft-fail notes) and returns, or raises, what it
did the first time. At most ``MAX_ENTRIES`` results are kept (least recently used
first out).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

MAX_ENTRIES = 2048


@dataclass(frozen=True)
class _Entry:
    error: BaseException | None
    qualified_policies: Any
    soft_fails: tuple[Exception, ...]


_cache: OrderedDict[Hashable, _Entry] = OrderedDict()
_stats = {"hits": 0, "misses": 0, "uncached": 0}
_installed = False


def install() -> None:
    """Put the cached path validation in front of pyHanko's (idempotent)."""
    global _installed
    if _installed:
        return
    import pyhanko_certvalidator

    module: Any = pyhanko_certvalidator
    original = module.async_validate_path

    async def cached_validate_path(validation_context: Any, path: Any,
                                   parameters: Any = None) -> Any:
        key = cache_key(validation_context, path, parameters)
        if key is None:
            _stats["uncached"] += 1
            return await original(validation_context, path, parameters)
        entry = _cache.get(key)
        if entry is not None:
            _cache.move_to_end(key)
            _stats["hits"] += 1
            return _replay(entry, validation_context, path)
        _stats["misses"] += 1
        notes_before = len(validation_context.soft_fail_exceptions)
        try:
            result = await original(validation_context, path, parameters)
        except Exception as exc:
            _remember(key, _Entry(exc, None, ()))
            raise
        _remember(key, _Entry(None, path.qualified_policies(), tuple(
            validation_context.soft_fail_exceptions[notes_before:])))
        return result

    # find_valid_path looks the name up in its module at each call; the other callers
    # (past validation, CRL and OCSP issuers) import it from elsewhere and are unchanged.
    module.async_validate_path = cached_validate_path
    _installed = True


def clear() -> None:
    _cache.clear()
    for name in _stats:
        _stats[name] = 0


def stats() -> dict[str, int]:
    """Hits, misses and validations not eligible for the cache, since the last clear."""
    return dict(_stats, entries=len(_cache))


def _remember(key: Hashable, entry: _Entry) -> None:
    _cache[key] = entry
    while len(_cache) > MAX_ENTRIES:
        _cache.popitem(last=False)


def _replay(entry: _Entry, context: Any, path: Any) -> Any:
    from pyhanko_certvalidator.path import ValidationPath

    if entry.error is not None:
        raise entry.error.with_traceback(None)
    # What intl_validate_path records: the anchor, then each certificate's sub-path.
    completed = ValidationPath(path.trust_anchor, interm=[], leaf=None)
    certificate = getattr(path.trust_anchor.authority, "certificate", None)
    if certificate is not None:
        context.record_validation(certificate, completed)
    last = certificate
    for index in range(1, path.pkix_len + 1):
        last = path[index]
        completed = completed.copy_and_append(last)
        context.record_validation(last, completed)
    if last is not None:
        path._set_qualified_policies(entry.qualified_policies)
        completed._set_qualified_policies(entry.qualified_policies)
    for note in entry.soft_fails:
        context._report_soft_fail(note)
    return last


def cache_key(context: Any, path: Any, parameters: Any) -> Hashable | None:
    """Everything the validation of ``path`` in ``context`` depends on; None when the
    result may depend on more (revocation data, fetching, an unusual path)."""
    from asn1crypto import x509

    try:
        if context.fetching_allowed or context.crls or context.ocsps:
            return None
        if getattr(context.revinfo_manager, "_assertions", None):
            return None
        leaf = path.leaf
        if not isinstance(leaf, x509.Certificate):
            return None  # attribute certificates, certificate-less paths
        anchor = path.trust_anchor
        certs = tuple(path[i].sha256 for i in range(1, path.pkix_len + 1))
        key = (
            _anchor_key(anchor), certs,
            context.moment, context.best_signature_time, context.time_tolerance,
            context.retroactive_revinfo, context.revinfo_policy, parameters,
            _policy_key(context.algorithm_policy), _policy_key(context.sig_validator),
            _trust_key(context.path_builder.trust_manager),
        )
        hash(key)
    except Exception:  # something unhashable or unexpected: do not cache
        return None
    return key


def _anchor_key(anchor: Any) -> Hashable:
    certificate = getattr(anchor.authority, "certificate", None)
    if certificate is None:
        raise TypeError("certificate-less trust anchor")
    return certificate.sha256, anchor.trust_qualifiers


def _policy_key(policy: Any) -> Any:
    """The settings of pyHanko's own policy classes; any other object stands for itself."""
    from pyhanko_certvalidator.policy_decl import DisallowWeakAlgorithmsPolicy
    from pyhanko_certvalidator.sig_validate import DefaultSignatureValidator

    kind = type(policy)
    if kind is DisallowWeakAlgorithmsPolicy:
        return (kind, frozenset(policy.weak_hash_algos),
                frozenset(policy.weak_signature_algos),
                policy.rsa_key_size_threshold, policy.dsa_key_size_threshold)
    if kind is DefaultSignatureValidator:
        return kind
    return policy  # hashed by identity, and kept alive by the key: never reused


def _trust_key(manager: Any) -> Any:
    from pyhanko_certvalidator.registry import SimpleTrustManager

    if type(manager) is not SimpleTrustManager:
        return manager
    return frozenset(_anchor_key(anchor) for anchor in manager._roots)
