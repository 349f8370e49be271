"""The PAdES engine on pyHanko: read and check a PDF, open the officer's signer (software key or PKCS#11 token), get
an RFC 3161 timestamp, draw the visible stamp and sign into a new buffer. Nothing here touches the database except
to read the TSA key; ``services.py`` decides what to sign and publishes the result.

PAdES baseline B-T (ETSI EN 319 142-1): CAdES-detached signature (/ETSI.CAdES.detached) with a signature
timestamp. Several signatures are incremental updates, each covering everything signed before it.
"""

from __future__ import annotations

import binascii
import datetime as dt
import io
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from chinhquyenso.core.calendar import to_local
from chinhquyenso.dossiers.documents.pdf import FAMILY, FONT_DIR, FONT_FILES, clean, qr_png
from chinhquyenso.signing import conf, crypto
from chinhquyenso.signing.errors import MalformedPdf, NotAPdf, TimestampUnavailable, TokenProblem
from chinhquyenso.signing.models import PlatformKey, SigningCredential

# pyHanko logs every failed path building with a traceback; the verification report says it in Vietnamese.
logging.getLogger("pyhanko.sign.validation").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
logging.getLogger("fontTools").setLevel(logging.WARNING)

PDF_MAGIC = b"%PDF-"
MM = 72 / 25.4
MARGIN = 36.0  # points from the page edge to the stamps (½ inch)
LEADER_BOX = (92 * MM, 30 * MM)
INITIALS_BOX = (56 * MM, 15 * MM)
A4 = (595.0, 842.0)
STAMP_STYLES = ("", "B")


# --- reading -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PdfFacts:
    pages: int
    last_page_size: tuple[float, float]
    signature_fields: int


def read_pdf(data: bytes, *, name: str = "tệp") -> PdfFacts:
    """Check that ``data`` is a readable, unencrypted PDF; raise NotAPdf / MalformedPdf in Vietnamese."""
    if not data.lstrip()[:1024].startswith(PDF_MAGIC) and PDF_MAGIC not in data[:1024]:
        raise NotAPdf(_("Tệp «%(name)s» không phải tệp PDF. Kết quả điện tử phải là tệp PDF.") % {"name": name})
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise MalformedPdf(
                _("Tệp «%(name)s» đang được đặt mật khẩu hoặc mã hóa; hãy lưu lại tệp PDF không mật khẩu.")
                % {"name": name}
            )
        pages_root = reader.root["/Pages"]
        count = int(pages_root["/Count"])
        if count < 1:
            raise MalformedPdf(_("Tệp «%(name)s» không có trang nào.") % {"name": name})
        page_ref = reader.find_page_for_modification(count - 1)[0]  # type: ignore[no-untyped-call]
        box = _media_box(page_ref.get_object(), pages_root)
        signatures = _signature_fields(reader)
    except MalformedPdf:
        raise
    except (PdfError, KeyError, ValueError, TypeError, IndexError, AttributeError):
        raise MalformedPdf(
            _("Tệp «%(name)s» bị hỏng hoặc không đọc được cấu trúc PDF. Hãy xuất lại tệp PDF từ phần mềm soạn thảo.")
            % {"name": name}
        ) from None
    return PdfFacts(pages=count, last_page_size=box, signature_fields=signatures)


def _signature_fields(reader: PdfFileReader) -> int:
    """Signature fields in the form, counted without parsing their (large) /Contents."""
    form = reader.root.get("/AcroForm")
    if form is None:
        return 0
    return sum(1 for ref in form.get_object().get("/Fields", []) if ref.get_object().get("/FT") == "/Sig")


def _media_box(page: Any, pages_root: Any) -> tuple[float, float]:
    node: Any = page
    while node is not None:
        box = node.get("/MediaBox")
        if box is not None:
            x1, y1, x2, y2 = (float(v) for v in box)
            return abs(x2 - x1), abs(y2 - y1)
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return A4


# --- the timestamp authority -----------------------------------------------------------------------------------------
class LocalTimeStamper(timestamps.DummyTimeStamper):
    """The platform's own RFC 3161 TSA for the demo (pyHanko's in-process TSA), keyed by the demo TSA certificate."""


@lru_cache(maxsize=4)
def _local_timestamper(key_id: int, fingerprint: str) -> LocalTimeStamper:
    from chinhquyenso.signing.pki import open_platform_key

    row = PlatformKey.objects.get(pk=key_id)
    key, cert, chain = open_platform_key(row)
    embed = SimpleCertificateStore.from_certs([crypto.to_asn1_cert(c) for c in chain])  # type: ignore[no-untyped-call]
    return LocalTimeStamper(tsa_cert=crypto.to_asn1_cert(cert), tsa_key=crypto.to_asn1_key(key), certs_to_embed=embed)


def local_timestamper() -> LocalTimeStamper | None:
    from chinhquyenso.signing.pki import platform_key

    row = platform_key(PlatformKey.Role.TSA)
    return _local_timestamper(row.pk, row.fingerprint) if row is not None else None


def timestamper() -> timestamps.TimeStamper:
    """The configured TSA (``CQS_TSA_URL``), else the platform's local one."""
    url = conf.tsa_url()
    if url:
        return timestamps.HTTPTimeStamper(url, timeout=10)
    local = local_timestamper()
    if local is None:
        raise TimestampUnavailable(
            _("Chưa cấu hình máy chủ cấp dấu thời gian: đặt CQS_TSA_URL hoặc chạy «cqs pki init» cho bản trình diễn.")
        )
    return local


# --- signers -------------------------------------------------------------------------------------------------------
def _registry(credential: SigningCredential) -> SimpleCertificateStore:
    certs = [crypto.to_asn1_cert(c) for c in crypto.load_pem_list(credential.chain_pem)]
    store: SimpleCertificateStore = SimpleCertificateStore.from_certs(certs)  # type: ignore[no-untyped-call]
    return store


@lru_cache(maxsize=64)
def _software_signer(credential_id: int, fingerprint: str) -> signers.SimpleSigner:
    """PBKDF2 on the PKCS#12 file costs tens of milliseconds: keep opened signers per process (by fingerprint, so a
    replaced credential is never served from the cache)."""
    from chinhquyenso.signing.errors import PkiError

    credential = SigningCredential.objects.get(pk=credential_id)
    try:
        key, cert, _chain = crypto.unseal(bytes(credential.pkcs12 or b""), conf.passphrase())
    except ValueError:
        raise PkiError(
            _("Không giải mã được khóa ký: CQS_SIGNING_KEY_PASSPHRASE không khớp với giá trị đã dùng khi lưu khóa.")
        ) from None
    return signers.SimpleSigner(signing_cert=crypto.to_asn1_cert(cert), signing_key=crypto.to_asn1_key(key),
                                cert_registry=_registry(credential))  # fmt: skip


@contextmanager
def open_signer(credential: SigningCredential, *, pin: str = "") -> Iterator[signers.Signer]:
    """The signer for a credential; for a token the session is closed when the block ends."""
    if credential.kind == SigningCredential.Kind.SOFTWARE:
        yield _software_signer(credential.pk, credential.fingerprint)
        return
    from pkcs11 import exceptions as p11
    from pyhanko.sign.pkcs11 import PKCS11Signer

    from chinhquyenso.signing.pki import open_token

    if not pin:
        raise TokenProblem(_("Hãy nhập mã PIN của thiết bị ký số."), fields={"pin": [_("Bắt buộc.")]})
    try:
        import pkcs11

        lib = pkcs11.lib(credential.pkcs11_module)
        token = lib.get_token(token_label=credential.pkcs11_token)
    except p11.NoSuchToken:
        raise TokenProblem(
            _("Không tìm thấy thiết bị ký số «%(label)s». Hãy cắm thiết bị và thử lại.")
            % {"label": credential.pkcs11_token}
        ) from None
    except (OSError, RuntimeError, p11.PKCS11Error):
        raise TokenProblem(_("Không nạp được thư viện của thiết bị ký số (PKCS#11).")) from None
    session = open_token(token, pin)
    try:
        yield PKCS11Signer(
            session, key_label=credential.pkcs11_key,
            signing_cert=crypto.to_asn1_cert(crypto.load_pem(credential.certificate_pem)),
            ca_chain=[crypto.to_asn1_cert(c) for c in crypto.load_pem_list(credential.chain_pem)],
        )  # fmt: skip
    finally:
        session.close()


# --- the visible stamp ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stamp:
    """What a person sees on the page: who signed, in which capacity, for which agency, when, and where to check."""

    signer: str
    title: str
    agency: str
    at: dt.datetime
    verify_url: str = ""  # with a URL the stamp carries the QR code (the leader's signature)
    code: str = ""  # the verification code, printed for people who type it instead of scanning
    initials: bool = False  # ký nháy: a small box without QR


def _stamp_pdf(stamp: Stamp) -> tuple[bytes, tuple[float, float]]:
    """The stamp drawn as a one-page PDF in the embedded DejaVu Serif Condensed (Vietnamese diacritics)."""
    width_pt, height_pt = INITIALS_BOX if stamp.initials else LEADER_BOX
    width, height = width_pt / MM, height_pt / MM
    pdf = FPDF(unit="mm", format=(width, height))
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(1.5, 1.2, 1.5)
    for style in STAMP_STYLES:  # parsing a TTF costs ~70 ms: only the two faces the stamp uses
        pdf.add_font(FAMILY, style, str(FONT_DIR / FONT_FILES[style]))
    pdf.add_page()
    pdf.set_draw_color(165, 15, 21)
    pdf.set_line_width(0.5)
    pdf.rect(0.4, 0.4, width - 0.8, height - 0.8)
    when = f"{to_local(stamp.at):%d/%m/%Y %H:%M:%S}"
    text_x = 1.8
    if stamp.verify_url:
        qr = height - 3
        pdf.image(io.BytesIO(qr_png(stamp.verify_url)), x=1.2, y=1.5, w=qr, h=qr)
        text_x = qr + 2.2
    text_w = width - text_x - 1.6
    pdf.set_xy(text_x, 1.6)
    lines: list[tuple[str, float, str]]
    if stamp.initials:
        lines = [("B", 7, _("Ký nháy: %(name)s") % {"name": stamp.signer}),
                 ("", 6, stamp.title), ("", 6, when)]  # fmt: skip
    else:
        lines = [("", 7.5, _("Ký bởi:")), ("B", 8.5, stamp.signer.upper()), ("", 7.5, stamp.title),
                 ("", 7.5, stamp.agency), ("", 7.5, _("Thời gian ký: %(when)s") % {"when": when}),
                 ("", 6.5, _("Xác thực: quét mã QR hoặc nhập mã %(code)s") % {"code": stamp.code}
                  if stamp.code else _("Quét mã QR để xác thực văn bản điện tử."))]  # fmt: skip
    for style, size, text in lines:
        if not text:
            continue
        pdf.set_font(FAMILY, style, size)
        pdf.set_x(text_x)
        pdf.multi_cell(text_w, size * 0.43, clean(text), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output()), (width_pt, height_pt)


class _PdfBytesPage(content.PdfContent):
    """A page of an in-memory PDF imported as a form XObject (pyHanko's ImportedPdfPage reads a file name)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        super().__init__()

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[name.decode("ascii")] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name + b" Do"


def stamp_box(facts: PdfFacts, *, initials: bool, index: int) -> tuple[int, int, int, int]:
    """Where a stamp goes on the last page: the leader's at the bottom right, initials along the bottom left."""
    page_w, _page_h = facts.last_page_size
    if initials:
        w, h = INITIALS_BOX
        per_row = max(1, int((page_w - 2 * MARGIN - LEADER_BOX[0]) // (w + 6)))
        x = MARGIN + (index % per_row) * (w + 6)
        y = MARGIN + (index // per_row) * (h + 6)
    else:
        w, h = LEADER_BOX
        x, y = page_w - MARGIN - w, MARGIN
    return round(x), round(y), round(x + w), round(y + h)


# --- signing -------------------------------------------------------------------------------------------------------
def sign_pdf(*, data: bytes, signer: signers.Signer, stamp: Stamp, reason: str, location: str,
             stamper: timestamps.TimeStamper | None = None) -> bytes:  # fmt: skip
    """Add one PAdES signature with its visible stamp on the last page; return the new file (the input is not
    touched). Raise TimestampUnavailable when the TSA cannot be reached, MalformedPdf when pyHanko cannot write."""
    facts = read_pdf(data)
    index = facts.signature_fields
    field_name = f"ChuKy{index + 1}"
    stamp_file = _stamp_pdf(stamp)[0]
    style = StaticStampStyle(background=_PdfBytesPage(stamp_file), border_width=0, background_opacity=1.0)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, location=location, name=stamp.signer,
    )  # fmt: skip
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, timestamper=stamper or timestamper(), stamp_style=style,
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=field_name, on_page=facts.pages - 1,
            box=stamp_box(facts, initials=stamp.initials, index=index if stamp.initials else 0),
        ),
    )  # fmt: skip
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        out = pdf_signer.sign_pdf(writer)
    except timestamps.TimestampRequestError:
        raise TimestampUnavailable(
            _("Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian (TSA); văn bản chưa được ký. Hãy thử lại sau.")
        ) from None
    except (PdfError, PyHankoSigningError, KeyError, ValueError) as exc:
        if isinstance(exc.__cause__, timestamps.TimestampRequestError):
            raise TimestampUnavailable(
                _("Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian (TSA); văn bản chưa được ký.")
            ) from None
        raise MalformedPdf(
            _("Không ký được vào tệp PDF này (cấu trúc tệp không chuẩn). Hãy xuất lại tệp PDF rồi thử lại.")
        ) from None
    return bytes(out.getvalue())


def tsa_reply(request_der: bytes) -> bytes:
    """Answer one RFC 3161 TimeStampReq (DER) with the local TSA; ValueError for a malformed request."""
    from asn1crypto import tsp

    local = local_timestamper()
    if local is None:
        raise LookupError("no local TSA")
    try:
        request = tsp.TimeStampReq.load(request_der)
        request.native  # noqa: B018 (parse it fully now: asn1crypto parses lazily)
    except (ValueError, TypeError) as exc:
        raise ValueError(str(exc)) from None
    return bytes(local.request_tsa_response(request).dump())
