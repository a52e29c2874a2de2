"""Optional Ed25519 signatures over review manifests.

The private key is a PEM file named by ``ASSESS_SIGNING_KEY_FILE`` (or the PEM text in
``ASSESS_SIGNING_KEY``); create one with ``openssl genpkey -algorithm ed25519 -out signing.pem``.
Verifiers use the public key in ``ASSESS_VERIFY_KEY(_FILE)``, or derive it from the signing key.
Keys never travel as notebook parameters.
"""

from __future__ import annotations

import base64

from assess.errors import InputError
from assess.secrets import get_secret

SIGNING_KEY = "ASSESS_SIGNING_KEY"
VERIFY_KEY = "ASSESS_VERIFY_KEY"


def _private_key():
    pem = get_secret(SIGNING_KEY, required=False)
    if pem is None:
        return None
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(pem, password=None)
    except ValueError:
        raise InputError(f"{SIGNING_KEY} is not a PEM private key: create one with `openssl genpkey -algorithm ed25519`") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{SIGNING_KEY} is not an Ed25519 key: create one with `openssl genpkey -algorithm ed25519`")
    return key


def public_key():
    """The configured verification key (``ASSESS_VERIFY_KEY`` or derived from the signing key), or None."""
    pem = get_secret(VERIFY_KEY, required=False)
    if pem is not None:
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        try:
            return load_pem_public_key(pem)
        except ValueError:
            raise InputError(f"{VERIFY_KEY} is not a PEM public key: export it with `openssl pkey -pubout`") from None
    private = _private_key()
    return private.public_key() if private is not None else None


def _raw(public) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def sign(payload: bytes) -> dict | None:
    """Sign ``payload``; None when no signing key is configured."""
    key = _private_key()
    if key is None:
        return None
    return {"algorithm": "Ed25519", "public_key": _raw(key.public_key()), "signature": base64.b64encode(key.sign(payload)).decode("ascii")}


def check(payload: bytes, signature: dict) -> str:
    """Verify a signature made by :func:`sign`.

    Returns
    -------
    str
        "valid", "invalid", or "unchecked" when no verification key is configured.
    """
    from cryptography.exceptions import InvalidSignature

    key = public_key()
    if key is None:
        return "unchecked"
    if _raw(key) != signature.get("public_key"):
        return "invalid"
    try:
        key.verify(base64.b64decode(signature["signature"]), payload)
    except (InvalidSignature, KeyError, ValueError):
        return "invalid"
    return "valid"
