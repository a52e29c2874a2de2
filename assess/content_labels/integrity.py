"""ReservedCode1: the producer's integrity code over its own label (GB 45438 Annex E, F.4).

Annex E lets the producer put integrity-protection data in ReservedCode1 (Annex F.4 shows a
hash-based signature). Here it is ``HMAC-SHA256:<64 hex>`` over the canonical producer part of
the label (Label, ContentProducer, ProduceID). The propagation fields are left out on purpose: a
platform adds ContentPropagator/PropagateID later (Measures Art. 6) and must not break the
producer's code. The key is the secret ``ASSESS_LABEL_KEY`` (env var, or ``ASSESS_LABEL_KEY_FILE``);
without it no code is written and checks report integrity as ``no_key`` / ``absent``.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from assess.content_labels.label import AigcLabel

KEY_NAME = "ASSESS_LABEL_KEY"
PREFIX = "HMAC-SHA256:"

#: Integrity states a check reports.
VERIFIED, MISMATCH, NO_KEY, ABSENT, FOREIGN = "verified", "mismatch", "no_key", "absent", "foreign"


def label_key() -> bytes | None:
    """The label-signing key from ``ASSESS_LABEL_KEY`` / ``ASSESS_LABEL_KEY_FILE``, or None."""
    from assess.secrets import get_secret

    return get_secret(KEY_NAME, required=False)


def canonical_message(label: AigcLabel) -> bytes:
    """The bytes the code covers: the producer fields as compact JSON, in Annex E order."""
    producer_part = {"Label": label.label, "ContentProducer": label.content_producer, "ProduceID": label.produce_id}
    return json.dumps(producer_part, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def integrity_code(label: AigcLabel, key: bytes) -> str:
    """``HMAC-SHA256:<hex>`` of :func:`canonical_message` (within the Annex E charset)."""
    return PREFIX + hmac.new(key, canonical_message(label), hashlib.sha256).hexdigest()


def sign(label: AigcLabel, key: bytes | None) -> AigcLabel:
    """The label with ReservedCode1 set when ``key`` is given, else unchanged (no code)."""
    if not key:
        return label.replace(reserved_code1="")
    return label.replace(reserved_code1=integrity_code(label, key))


def verify(label: AigcLabel, key: bytes | None) -> str:
    """Integrity state of ``label``'s ReservedCode1.

    Returns
    -------
    str
        ``verified`` (our code, matches), ``mismatch`` (our code, does not match: tampered or
        another key), ``no_key`` (a code but no key here to check it), ``absent`` (no code),
        ``foreign`` (a code in another producer's format, which this tool cannot check).
    """
    code = label.reserved_code1
    if not code:
        return ABSENT
    if not code.startswith(PREFIX):
        return FOREIGN
    if not key:
        return NO_KEY
    return VERIFIED if hmac.compare_digest(code, integrity_code(label, key)) else MISMATCH
