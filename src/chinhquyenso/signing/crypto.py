"""X.509 and key primitives on ``cryptography``: keys, certificates, PKCS#12 envelopes, and the conversions pyHanko
(``asn1crypto``) needs. No database here; ``pki.py`` decides what to issue and keeps it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
KEY_BITS = 2048  # RSA 2048: what Vietnamese public CAs issue for signing certificates (Thông tư 16/2019/TT-BTTTT)
COUNTRY = "VN"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def _fit(value: str, limit: int = 64) -> str:
    """X.520 upper bounds count UTF-8 bytes: cut at a character boundary (Vietnamese letters take 2–3 bytes)."""
    encoded = value.encode()[:limit]
    return encoded.decode(errors="ignore").strip() or "?"


def subject(*, common_name: str, organization: str, unit: str = "", title: str = "", province: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, COUNTRY)]
    if province:
        attributes.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, _fit(province, 128)))
    attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organization, 64)))
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, _fit(unit, 64)))
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, _fit(title, 64)))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name, 64)))
    return x509.Name(attributes)


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
    )  # fmt: skip


def issue(
    *,
    name: x509.Name,
    public_key: Any,
    issuer: x509.Certificate | None,
    issuer_key: PrivateKey,
    days: int,
    ca: bool = False,
    path_length: int | None = None,
    time_stamping: bool = False,
    not_before: dt.datetime | None = None,
) -> x509.Certificate:
    """A certificate for ``public_key``: self-signed when ``issuer`` is None (a root)."""
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer is not None else name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True)
        .add_extension(_key_usage(ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    if time_stamping:  # RFC 3161 §2.3: a TSA certificate has exactly this EKU, critical
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


# --- encodings -----------------------------------------------------------------------------------------------------
def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def load_pem(text: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(text.encode())


def load_pem_list(text: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(text.encode()) if text.strip() else []


def load_any_certificate(data: bytes) -> x509.Certificate:
    """PEM or DER."""
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "x")


def common_name(name: x509.Name) -> str:
    found = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(found[0].value) if found else name.rfc4514_string()


def organization(name: x509.Name) -> str:
    found = name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(found[0].value) if found else ""


def to_asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def to_asn1_key(key: PrivateKey) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)


def public_key_matches(key: PrivateKey, cert: x509.Certificate) -> bool:
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    return bool(key.public_key().public_bytes(*spki) == cert.public_key().public_bytes(*spki))


# --- PKCS#12: how keys rest in the database -------------------------------------------------------------------------
def seal(*, key: PrivateKey, cert: x509.Certificate, chain: Sequence[x509.Certificate], passphrase: bytes,
         label: str) -> bytes:  # fmt: skip
    """A PKCS#12 file (AES-256-CBC, PBKDF2-SHA256) holding the key, its certificate and the chain."""
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(50_000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(passphrase)
    )
    return pkcs12.serialize_key_and_certificates(label.encode()[:64], key, cert, list(chain) or None, encryption)


def unseal(data: bytes, passphrase: bytes | None) -> tuple[PrivateKey, x509.Certificate, list[x509.Certificate]]:
    """Open a PKCS#12 file; ValueError when the passphrase is wrong or the file is not PKCS#12."""
    key, cert, chain = pkcs12.load_key_and_certificates(data, passphrase)
    if key is None or cert is None:
        raise ValueError("PKCS#12 without a private key or a certificate")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValueError("unsupported key type")
    return key, cert, list(chain)


def valid_at(cert: x509.Certificate, moment: dt.datetime) -> bool:
    return cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc
