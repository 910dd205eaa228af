"""Which algorithms a signature may use: the Vietnamese government profile, in one place.

pyhanko-certvalidator refuses SHA-1 everywhere (its DisallowWeakAlgorithmsPolicy). The
Vietnamese government PKI cannot live with that: the first VGCA generation (G1, 2010) is
SHA-1 throughout and still issues certificates valid to 2028, its timestamp server signs
SHA-1 tokens, and the government's signing tools still choose SHA-1 digests with G2
certificates. Those documents are legally in force. So vnsign validates under two
profiles (``Profile``):

* ``STRICT`` — pyHanko's default: MD2/MD5/SHA-1 refused, RSA keys of 2048 bits at least.
  Every signature is validated under it first, against every trusted root.
* ``VN_GOV`` — the Vietnamese government profile: SHA-1 accepted (MD2/MD4/MD5 still
  refused), but only against the trusted roots whose SHA-256 fingerprint is a pinned
  VGCA certificate (``vnsign.vn.known_roots``). The trust manager holds nothing else, so
  a path that validates under it *necessarily* ends at a VGCA root: SHA-1 under any other
  root (a test PKI, a look-alike root, the old MIC root) stays refused.

The second profile is tried only when the first refused an algorithm, and its result is
taken only when it reached a VGCA anchor; the report then carries a WARNING naming the
profile and the algorithm (``WEAK_ALGORITHM_ACCEPTED``). ``Policy(strict_algorithms=True)``
(``--strict-algorithms``) turns the profile off: G1 documents are then
INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE. docs/trust.md explains the trade-off.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from functools import partial
from typing import Any

from asn1crypto import x509
from pyhanko_certvalidator.policy_decl import AlgorithmUsagePolicy, DisallowWeakAlgorithmsPolicy

from vnsign.attempt import attempt
from vnsign.vn.certificate import common_name
from vnsign.vn.known_roots import identify


class Profile(enum.StrEnum):
    """The algorithm profile a signature (or timestamp) was validated under."""

    STRICT = "STRICT"
    VN_GOV = "VN_GOV"


# What the profile is called in findings (both languages use the code name).
PROFILE_LABEL = "VN_GOV"

# Still refused under the Vietnamese government profile: broken beyond any legal history.
VN_GOV_REFUSED_DIGESTS = frozenset({"md2", "md4", "md5"})

# Digest algorithms pyHanko's default policy refuses, as vnsign names them in reports.
STRICT_REFUSED_DIGESTS = frozenset({"md2", "md4", "md5", "sha1"})


def refused_digests(profile: Profile) -> frozenset[str]:
    return VN_GOV_REFUSED_DIGESTS if profile == Profile.VN_GOV else STRICT_REFUSED_DIGESTS


def imprint_algorithm(token: Any) -> str | None:
    """The digest algorithm of an RFC 3161 token's message imprint."""
    return attempt(lambda: str(token["encap_content_info"]["content"].parsed
                               ["message_imprint"]["hash_algorithm"]["algorithm"].native))


def display(algorithm: str) -> str:
    """``sha1`` → ``SHA-1``, ``md5`` → ``MD5``: how people write digest names."""
    upper = algorithm.upper()
    return upper.replace("SHA", "SHA-", 1) if upper.startswith("SHA") and "-" not in upper \
        else upper


def vn_gov_algorithm_policy() -> AlgorithmUsagePolicy:
    """SHA-1 accepted, MD2/MD4/MD5 refused, RSA keys of 2048 bits at least."""
    return DisallowWeakAlgorithmsPolicy(weak_hash_algos=VN_GOV_REFUSED_DIGESTS)


def is_vgca(cert: x509.Certificate) -> bool:
    """The certificate is one of the pinned official VGCA certificates (G1 or G2)."""
    known = identify(hashlib.sha256(cert.dump()).hexdigest())
    return known is not None and known.hierarchy.startswith("VGCA")


def vgca_anchors(roots: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    """The trusted roots the Vietnamese government profile may use."""
    return [cert for cert in roots if is_vgca(cert)]


def weak_algorithm_uses(signer_info: Any, path: Any) -> list[str]:
    """Where a refused-by-default algorithm (SHA-1...) appears: the CMS, the path.

    ``signer_info`` is the SignerInfo of a signature or timestamp token, ``path`` the
    pyhanko-certvalidator ValidationPath that validated (the anchor's own signature is
    never checked, so it is left out).
    """
    uses: list[str] = []
    digest = attempt(lambda: str(signer_info["digest_algorithm"]["algorithm"].native))
    if digest in STRICT_REFUSED_DIGESTS:
        uses.append(f"{display(digest)} digest")
    sig_hash = attempt(lambda: str(signer_info["signature_algorithm"].hash_algo))
    if sig_hash in STRICT_REFUSED_DIGESTS and sig_hash != digest:
        uses.append(f"{display(sig_hash)} signature")
    certs = attempt(lambda: list(path.iter_certs(include_root=False))) if path is not None \
        else None
    for cert in certs or []:
        algo = attempt(partial(_hash_algo, cert))
        if algo is not None and algo in STRICT_REFUSED_DIGESTS:
            uses.append(f"{display(algo)} in the certificate of {common_name(cert) or '?'}")
    return uses


def token_weak_uses(token: Any, path: Any) -> list[str]:
    """``weak_algorithm_uses`` for a timestamp token, its message imprint included."""
    uses = []
    imprint = imprint_algorithm(token)
    if imprint in STRICT_REFUSED_DIGESTS:
        uses.append(f"{display(imprint)} message imprint")
    signer_info = attempt(lambda: token["signer_infos"][0])
    return uses + weak_algorithm_uses(signer_info, path)


def _hash_algo(cert: x509.Certificate) -> str:
    return str(cert.hash_algo)
