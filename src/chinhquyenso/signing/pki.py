"""The platform's PKI (writes): the demo root and issuing CAs, the local timestamp authority, officers' signing
credentials (issued here, imported from PKCS#12, or enrolled on a PKCS#11 token) and the trust list.

``pki_init`` is what ``cqs pki init`` and ``cqs demo`` run: it is idempotent (a second run only issues certificates to
leaders and specialists who have none). In production the demo CA is not used: certificates come from a licensed
CA (Thông tư 16/2019/TT-BTTTT; Nghị định 23/2025/NĐ-CP on chữ ký số) as PKCS#12 files or on tokens, and the CA's
root goes on the trust list with ``cqs pki trust``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Membership, Role
from chinhquyenso.core.audit import audit_record
from chinhquyenso.signing import conf, crypto
from chinhquyenso.signing.errors import CertificateProblem, PkiError, TokenProblem, WrongPin
from chinhquyenso.signing.models import PlatformKey, SigningCredential, TrustAnchor

DEMO_ORGANIZATION = "Chính quyền số - CA trình diễn"
ROOT_DAYS = 3650
ISSUING_DAYS = 1825
TSA_DAYS = 1825
SIGNER_ROLES = (Role.LEADER, Role.SPECIALIST)  # leaders sign results, specialists initial drafts (ký nháy)


@dataclass
class PkiInitReport:
    created_authorities: list[str] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _province_name() -> str:
    try:
        from chinhquyenso.agencies.selectors import province

        return str(province().name)
    except Exception:  # the province list is optional for the PKI: the name only decorates the subject
        return ""


# --- platform keys ---------------------------------------------------------------------------------------------------
def _store_platform_key(role: str, name: str, key: crypto.PrivateKey, cert: x509.Certificate,
                        chain: Sequence[x509.Certificate]) -> PlatformKey:  # fmt: skip
    return PlatformKey.objects.create(
        role=role, name=name, certificate_pem=crypto.pem(cert), fingerprint=crypto.fingerprint(cert),
        pkcs12=crypto.seal(key=key, cert=cert, chain=chain, passphrase=conf.passphrase(), label=name),
        not_after=cert.not_valid_after_utc,
    )  # fmt: skip


def platform_key(role: str) -> PlatformKey | None:
    return (
        PlatformKey.objects.filter(role=role, active=True, not_after__gt=timezone.now()).order_by("-created_at").first()
    )


def open_platform_key(row: PlatformKey) -> tuple[crypto.PrivateKey, x509.Certificate, list[x509.Certificate]]:
    try:
        return crypto.unseal(bytes(row.pkcs12), conf.passphrase())
    except ValueError:
        raise PkiError(
            gettext(
                "Không giải mã được khóa «%(name)s»: CQS_SIGNING_KEY_PASSPHRASE không khớp với giá trị đã dùng khi "
                "tạo khóa. Hãy đặt lại đúng giá trị cũ."
            )
            % {"name": row.name}
        ) from None


def _ensure_authorities(report: PkiInitReport) -> tuple[PlatformKey, PlatformKey]:
    province = _province_name()
    root_row = platform_key(PlatformKey.Role.ROOT)
    if root_row is None:
        key = crypto.new_key()
        name = crypto.subject(common_name="CA gốc Chính quyền số (trình diễn)", organization=DEMO_ORGANIZATION,
                              province=province)  # fmt: skip
        cert = crypto.issue(name=name, public_key=key.public_key(), issuer=None, issuer_key=key, days=ROOT_DAYS,
                            ca=True, path_length=1)  # fmt: skip
        root_row = _store_platform_key(PlatformKey.Role.ROOT, crypto.common_name(name), key, cert, [])
        report.created_authorities.append(root_row.name)
    root_key, root_cert, _ = open_platform_key(root_row)
    trust_anchor_add(data=root_row.certificate_pem.encode(), name=root_row.name, source="cqs pki init")
    issuing_row = platform_key(PlatformKey.Role.ISSUING)
    if issuing_row is None:
        key = crypto.new_key()
        name = crypto.subject(common_name="CA cấp chứng thư Chính quyền số (trình diễn)",
                              organization=DEMO_ORGANIZATION, province=province)  # fmt: skip
        cert = crypto.issue(name=name, public_key=key.public_key(), issuer=root_cert, issuer_key=root_key,
                            days=ISSUING_DAYS, ca=True, path_length=0)  # fmt: skip
        issuing_row = _store_platform_key(PlatformKey.Role.ISSUING, crypto.common_name(name), key, cert, [root_cert])
        report.created_authorities.append(issuing_row.name)
    if platform_key(PlatformKey.Role.TSA) is None:
        issuing_key, issuing_cert, _ = open_platform_key(issuing_row)
        key = crypto.new_key()  # RFC 3161 tokens of the local TSA are RSA (pyHanko's in-process TSA is RSA-only)
        name = crypto.subject(common_name="Dấu thời gian Chính quyền số (trình diễn)",
                              organization=DEMO_ORGANIZATION, province=province)  # fmt: skip
        cert = crypto.issue(name=name, public_key=key.public_key(), issuer=issuing_cert, issuer_key=issuing_key,
                            days=TSA_DAYS, time_stamping=True)  # fmt: skip
        tsa_row = _store_platform_key(PlatformKey.Role.TSA, crypto.common_name(name), key, cert, [issuing_cert])
        report.created_authorities.append(tsa_row.name)
    return root_row, issuing_row


@transaction.atomic
def pki_init(*, actor: User | None = None) -> PkiInitReport:
    """Create the demo CAs and TSA if missing, and give every leader and specialist without a usable credential a
    software signing certificate. Safe to run again."""
    report = PkiInitReport()
    _, issuing_row = _ensure_authorities(report)
    user_ids = (
        Membership.objects.filter(role__in=SIGNER_ROLES, active=True, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=list(user_ids)).order_by("username"):
        if usable_credential(user) is not None:
            report.kept.append(user.username)
            continue
        credential_issue(user=user, issuing=issuing_row, actor=actor)
        report.issued.append(user.username)
    if report.created_authorities or report.issued:
        audit_record(actor=actor, action="signing.pki_init", object_type="signing.pki", object_id="demo",
                     after={"authorities": report.created_authorities, "issued": report.issued})  # fmt: skip
    return report


def usable_credential(user: User) -> SigningCredential | None:
    """The user's newest active credential that is valid now."""
    now = timezone.now()
    return (
        SigningCredential.objects.filter(user=user, active=True, not_before__lte=now, not_after__gt=now)
        .order_by("-not_after", "-id")
        .first()
    )


# --- credentials -----------------------------------------------------------------------------------------------------
def _user_subject(user: User, title: str = "") -> x509.Name:
    return crypto.subject(common_name=user.display_name, organization=DEMO_ORGANIZATION, title=title,
                          province=_province_name())  # fmt: skip


def _save_credential(user: User, kind: str, cert: x509.Certificate, chain: Sequence[x509.Certificate],
                     **extra: Any) -> SigningCredential:  # fmt: skip
    return SigningCredential.objects.create(
        user=user, kind=kind, subject_name=crypto.common_name(cert.subject),
        issuer_name=crypto.common_name(cert.issuer), certificate_pem=crypto.pem(cert),
        chain_pem="".join(crypto.pem(c) for c in chain), fingerprint=crypto.fingerprint(cert),
        serial=crypto.serial_hex(cert), not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
        **extra,
    )  # fmt: skip


def credential_issue(*, user: User, issuing: PlatformKey | None = None, actor: User | None = None,
                     days: int | None = None, not_before: dt.datetime | None = None) -> SigningCredential:  # fmt: skip
    """A software key and a certificate from the demo issuing CA, kept as an encrypted PKCS#12 file."""
    if not user.is_officer:
        raise PkiError(gettext("Chỉ cấp chứng thư ký số cho tài khoản cán bộ, công chức."))
    issuing = issuing or platform_key(PlatformKey.Role.ISSUING)
    if issuing is None:
        raise PkiError(gettext("Chưa có CA cấp chứng thư: hãy chạy «cqs pki init» trước."))
    ca_key, ca_cert, ca_chain = open_platform_key(issuing)
    key = crypto.new_key()
    cert = crypto.issue(name=_user_subject(user), public_key=key.public_key(), issuer=ca_cert, issuer_key=ca_key,
                        days=days or conf.cert_days(), not_before=not_before)  # fmt: skip
    chain = [ca_cert, *ca_chain]
    credential = _save_credential(
        user, SigningCredential.Kind.SOFTWARE, cert, chain,
        pkcs12=crypto.seal(key=key, cert=cert, chain=chain, passphrase=conf.passphrase(), label=user.username),
    )  # fmt: skip
    audit_record(actor=actor, action="signing.credential_issue", obj=credential,
                 after={"user": user.username, "fingerprint": credential.fingerprint})  # fmt: skip
    return credential


def _check_chain(cert: x509.Certificate, chain: Sequence[x509.Certificate]) -> None:
    """Refuse a certificate that is expired or does not chain to the trust list (checked with pyHanko's validator)."""
    now = dt.datetime.now(dt.UTC)
    if cert.not_valid_after_utc < now:
        raise CertificateProblem(
            gettext("Chứng thư số của «%(name)s» đã hết hạn ngày %(day)s.")
            % {"name": crypto.common_name(cert.subject),
               "day": f"{cert.not_valid_after_utc.astimezone(dt.timezone(dt.timedelta(hours=7))):%d/%m/%Y}"}
        )  # fmt: skip
    if cert.not_valid_before_utc > now:
        raise CertificateProblem(gettext("Chứng thư số chưa đến ngày có hiệu lực."))
    from chinhquyenso.signing.verify import certificate_trusted

    if not certificate_trusted(cert, chain):
        raise CertificateProblem(
            gettext(
                "Chứng thư số không do tổ chức nằm trong danh sách tin cậy của hệ thống cấp (hoặc thiếu chứng thư "
                "trung gian). Hãy dùng chứng thư của tổ chức cung cấp dịch vụ chứng thực chữ ký số được cấp phép, "
                "hoặc nhờ quản trị hệ thống thêm chứng thư gốc vào danh sách tin cậy."
            )
        )


@transaction.atomic
def credential_import_pkcs12(*, user: User, data: bytes, password: str | None, actor: User | None = None
                             ) -> SigningCredential:  # fmt: skip
    """Import an officer's PKCS#12 file (.p12/.pfx) from a licensed CA: the key is re-encrypted with the platform's
    passphrase; the file's own password is not kept."""
    if not user.is_officer:
        raise PkiError(gettext("Chỉ nhập chứng thư ký số cho tài khoản cán bộ, công chức."))
    try:
        key, cert, chain = crypto.unseal(data, password.encode() if password else None)
    except ValueError:
        raise PkiError(
            gettext("Không mở được tệp PKCS#12: sai mật khẩu, hoặc tệp không phải .p12/.pfx có khóa riêng.")
        ) from None
    if not crypto.public_key_matches(key, cert):
        raise PkiError(gettext("Khóa riêng trong tệp không khớp với chứng thư."))
    _check_chain(cert, chain)
    if SigningCredential.objects.filter(fingerprint=crypto.fingerprint(cert)).exists():
        raise PkiError(gettext("Chứng thư này đã được nhập trước đó."))
    credential = _save_credential(
        user, SigningCredential.Kind.SOFTWARE, cert, chain,
        pkcs12=crypto.seal(key=key, cert=cert, chain=chain, passphrase=conf.passphrase(), label=user.username),
    )  # fmt: skip
    audit_record(actor=actor, action="signing.credential_import", obj=credential,
                 after={"user": user.username, "fingerprint": credential.fingerprint})  # fmt: skip
    return credential


def _token_session(module: str, token_label: str, pin: str) -> Any:
    import pkcs11
    from pkcs11 import exceptions as p11

    try:
        lib = pkcs11.lib(module)
    except (OSError, RuntimeError, p11.PKCS11Error):
        raise TokenProblem(gettext("Không nạp được thư viện PKCS#11 «%(module)s».") % {"module": module}) from None
    try:
        token = lib.get_token(token_label=token_label)
    except p11.NoSuchToken:
        raise TokenProblem(
            gettext("Không tìm thấy thiết bị ký số có nhãn «%(label)s». Hãy cắm thiết bị và thử lại.")
            % {"label": token_label}
        ) from None
    return open_token(token, pin)


def open_token(token: Any, pin: str) -> Any:
    """Log in to a token, with a message for each PIN problem (in the language of the request)."""
    from pkcs11 import exceptions as p11

    try:
        return token.open(rw=True, user_pin=pin)
    except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange):
        raise WrongPin(
            gettext("Mã PIN của thiết bị ký số không đúng. Lưu ý: nhập sai nhiều lần liên tiếp sẽ khóa thiết bị."),
            fields={"pin": [gettext("Mã PIN không đúng.")]},
        ) from None
    except p11.PinLocked:
        raise TokenProblem(
            gettext("Thiết bị ký số đã bị khóa do nhập sai mã PIN nhiều lần; liên hệ quản trị để mở khóa.")
        ) from None
    except p11.PinExpired:
        raise TokenProblem(gettext("Mã PIN của thiết bị ký số đã hết hạn; hãy đổi mã PIN rồi ký lại.")) from None
    except p11.PKCS11Error as exc:
        raise TokenProblem(gettext("Thiết bị ký số báo lỗi: %(error)s.") % {"error": type(exc).__name__}) from None


@transaction.atomic
def credential_enrol_token(*, user: User, module: str, token_label: str, pin: str, key_label: str,
                           actor: User | None = None) -> SigningCredential:  # fmt: skip
    """Generate a key pair inside a PKCS#11 token (it never leaves it), certify it with the demo issuing CA and
    keep only the certificate and where the key is."""
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
    from pkcs11 import exceptions as p11

    issuing = platform_key(PlatformKey.Role.ISSUING)
    if issuing is None:
        raise PkiError(gettext("Chưa có CA cấp chứng thư: hãy chạy «cqs pki init» trước."))
    ca_key, ca_cert, ca_chain = open_platform_key(issuing)
    key_id = secrets.token_bytes(8)
    session = _token_session(module, token_label, pin)
    try:
        public, _private = session.generate_keypair(
            KeyType.RSA, crypto.KEY_BITS, id=key_id, label=key_label, store=True
        )
        numbers = rsa.RSAPublicNumbers(int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                                       int.from_bytes(public[Attribute.MODULUS], "big"))  # fmt: skip
        cert = crypto.issue(name=_user_subject(user), public_key=numbers.public_key(), issuer=ca_cert,
                            issuer_key=ca_key, days=conf.cert_days())  # fmt: skip
        from cryptography.hazmat.primitives import serialization

        der = cert.public_bytes(serialization.Encoding.DER)
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: key_label, Attribute.ID: key_id, Attribute.VALUE: der,
            Attribute.SUBJECT: cert.subject.public_bytes(),
        })  # fmt: skip
    except p11.PKCS11Error as exc:
        raise TokenProblem(
            gettext("Không tạo được khóa trên thiết bị ký số: %(error)s.") % {"error": type(exc).__name__}
        ) from None
    finally:
        session.close()
    credential = _save_credential(
        user, SigningCredential.Kind.PKCS11, cert, [ca_cert, *ca_chain],
        pkcs11_module=module, pkcs11_token=token_label, pkcs11_key=key_label,
    )  # fmt: skip
    audit_record(actor=actor, action="signing.credential_enrol_token", obj=credential,
                 after={"user": user.username, "token": token_label, "fingerprint": credential.fingerprint})  # fmt: skip
    return credential


@transaction.atomic
def credential_register_token(*, user: User, module: str, token_label: str, key_label: str, certificate: bytes,
                              chain: Sequence[bytes] = (), actor: User | None = None) -> SigningCredential:  # fmt: skip
    """A token that already holds a key and a certificate from a licensed CA: record the certificate (checked
    against the trust list) and where the key is. The PIN is asked at each signing."""
    cert = crypto.load_any_certificate(certificate)
    intermediates = [crypto.load_any_certificate(c) for c in chain]
    _check_chain(cert, intermediates)
    credential = _save_credential(user, SigningCredential.Kind.PKCS11, cert, intermediates, pkcs11_module=module,
                                  pkcs11_token=token_label, pkcs11_key=key_label)  # fmt: skip
    audit_record(actor=actor, action="signing.credential_register_token", obj=credential,
                 after={"user": user.username, "token": token_label})  # fmt: skip
    return credential


def credential_deactivate(*, credential: SigningCredential, actor: User | None = None) -> SigningCredential:
    """Stop using a credential (officer left, key compromised): it can no longer sign; past signatures stand."""
    with transaction.atomic():
        credential.active = False
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["active", "revoked_at"])
        audit_record(actor=actor, action="signing.credential_deactivate", obj=credential)
    return credential


# --- the trust list --------------------------------------------------------------------------------------------------
def trust_anchor_add(*, data: bytes, name: str = "", source: str = "", actor: User | None = None) -> TrustAnchor:
    """Put a root certificate (PEM or DER) on the trust list; adding one already there changes nothing."""
    try:
        cert = crypto.load_any_certificate(data)
    except ValueError:
        raise PkiError(gettext("Tệp không phải chứng thư X.509 (PEM hoặc DER).")) from None
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value if _has_bc(cert) else None
    if constraints is None or not constraints.ca:
        raise PkiError(gettext("Chỉ thêm chứng thư của tổ chức chứng thực (CA) vào danh sách tin cậy."))
    anchor, created = TrustAnchor.objects.get_or_create(
        fingerprint=crypto.fingerprint(cert),
        defaults={"name": name or crypto.common_name(cert.subject), "certificate_pem": crypto.pem(cert),
                  "not_after": cert.not_valid_after_utc, "source": source},
    )  # fmt: skip
    if created:
        audit_record(actor=actor, action="signing.trust_add", obj=anchor, after={"fingerprint": anchor.fingerprint})
    return anchor


def _has_bc(cert: x509.Certificate) -> bool:
    try:
        cert.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return False
    return True
