"""Small worlds for the 766 tests: the dossier world (a commune with desk, specialist and leader, and another commune
with its own desk officer), dossiers taken through the real services at frozen moments, and the rows other apps would
write (an electronic result, a paid fee order) created directly."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.tests.factories import OfficerFactory
from chinhquyenso.agencies.models import Agency, Membership, Role
from chinhquyenso.catalog import services as catalog
from chinhquyenso.catalog.models import DocumentType, Field, Level, OnlineLevel, ProcedureCase
from chinhquyenso.dossiers import services
from chinhquyenso.dossiers.models import Attachment, Channel, Dossier
from chinhquyenso.dossiers.services import Applicant
from chinhquyenso.dossiers.tests.conftest import SCHEMA, VALID_DATA, World, at, local, world
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted
from chinhquyenso.payments.models import FeeOrder, Payment, PaymentChannel, PaymentMethod
from chinhquyenso.quality.periods import Period
from chinhquyenso.signing.models import IssuedResult

__all__ = ["World", "at", "local", "world"]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOVEMBER = Period.month(2026, 11)
AFTER_NOVEMBER = local(2026, 12, 7, 9)  # "now" when November is over


def received_online(world: World, at: Any, moment: datetime) -> Dossier:
    """Submitted online by the citizen and received by the desk at ``moment`` (due two working days later)."""
    with at(moment):
        return act(world.desk, submitted(world), "receive")


def at_desk(world: World, at: Any, moment: datetime, *, scanned: bool = False, case: ProcedureCase | None = None,
            agency: Agency | None = None, desk: User | None = None) -> Dossier:  # fmt: skip
    """Handed in on paper at the desk (channel 1), received at once, with or without the scan of its document."""
    scans = [("giay-chung-sinh", SimpleUploadedFile("giay-chung-sinh.pdf", PDF))] if scanned else []
    with at(moment):
        return services.dossier_intake_at_desk(
            actor=desk or world.desk, case=case or world.case, agency=agency or world.commune,
            channel=Channel.IN_PERSON, applicant=Applicant(name="Trần Văn Bình"), data=VALID_DATA, scans=scans,
        )  # fmt: skip


def approve(world: World, at: Any, dossier: Dossier, moment: datetime) -> Dossier:
    """The specialist forwards and the leader approves with the result file: the dossier ends (state 9)."""
    with at(moment):
        act(world.specialist, dossier, "forward")
        return act(world.leader, dossier, "approve", result_file=ContentFile(b"%PDF-1.4 ket qua", name="kq.pdf"))


def issue_electronic_result(world: World, dossier: Dossier, moment: datetime) -> IssuedResult:
    """What ``signing.services.result_issue`` records for a signed electronic result (the PKI itself is not needed)."""
    return IssuedResult.objects.create(
        number=f"KQ-{dossier.pk}", verification_code=f"MA{dossier.pk:010d}", type_name="Giấy khai sinh",
        dossier=dossier, agency=world.commune, holder=dossier.applicant, holder_name=dossier.applicant_name,
        file=f"signing/results/{dossier.pk}.pdf", sha256="0" * 64, size=10, issued_at=moment, issued_by=world.leader,
    )  # fmt: skip


def paid(world: World, dossier: Dossier, moment: datetime, *, amount: int, channel: int) -> FeeOrder:
    """A fee order paid in full at ``moment``, online (channels 1, 2) or at the counter (3)."""
    order = FeeOrder.objects.create(
        dossier=dossier, agency=world.commune, status=FeeOrder.Status.PAID if amount else FeeOrder.Status.EXEMPT,
        gross_amount=amount, amount=amount, issued_by=world.specialist, issued_at=moment, paid_at=moment,
    )  # fmt: skip
    if amount:
        online = channel != PaymentChannel.COUNTER
        Payment.objects.create(
            order=order, agency=world.commune, txn_ref=f"T{dossier.pk:08d}", gateway="sandbox" if online else "counter",
            channel=channel, method=PaymentMethod.GATEWAY if online else PaymentMethod.CASH, amount=amount,
            status=Payment.Status.PAID, created_at=moment, paid_at=moment,
        )  # fmt: skip
    return order


def reused_from_store(dossier: Dossier) -> Attachment:
    """An attachment taken from the applicant's data store (``wallet.services`` marks it so)."""
    component = dossier.case.components.get(reusable_type__isnull=False)
    return Attachment.objects.create(
        dossier=dossier, component=component, file=ContentFile(PDF, name="gks.pdf"), original_name="gks.pdf",
        content_type="application/pdf", size=len(PDF), sha256="1" * 64, reused_from_store=True,
    )  # fmt: skip


def publish(*, code: str, online_level: str = OnlineLevel.FULL, result_type: str = "", complete: bool = False,
            reusable: bool = False, level: str = Level.COMMUNE, agencies: tuple[Agency, ...] = ()) -> ProcedureCase:  # fmt: skip
    """A published procedure with one case and the document "giay-chung-sinh"; ``complete``: with its field,
    competent authority, legal basis and result recorded."""
    content: dict[str, Any] = {"result_type": result_type}
    if complete:
        content = {
            "field": Field.objects.get_or_create(code="G15-TP07", defaults={"name": "Hộ tịch"})[0],
            "competent_authority": "Ủy ban nhân dân cấp xã", "legal_basis": "Luật Hộ tịch số 60/2014/QH13",
            "result_type": result_type or "Giấy khai sinh",
        }  # fmt: skip
    version = catalog.procedure_create(
        actor=None, code=code, name=f"Thủ tục {code}", level=level, online_level=online_level, **content
    )
    if agencies:
        version.competent_agencies.set(agencies)
    case = catalog.case_add(actor=None, version=version, code="01", name="Trường hợp chung", processing_value=2,
                            form_schema=SCHEMA, form_ui={"order": ["ho_ten_tre", "ngay_sinh"]})  # fmt: skip
    kind = DocumentType.objects.get_or_create(code="giay-khai-sinh", defaults={"name": "Giấy khai sinh"})[0]
    catalog.component_add(actor=None, case=case, code="giay-chung-sinh", name="Giấy chứng sinh", required=True,
                          reusable_type=kind if reusable else None)  # fmt: skip
    catalog.version_publish(actor=None, version=version)
    case.refresh_from_db()
    return case


@pytest.fixture
def admin(world: World) -> User:
    """A system administrator (member of the province's People's Committee)."""
    province = Agency.objects.create(code="000.00.00.H26", name="Ủy ban nhân dân thành phố Hải Phòng",
                                     kind=Agency.Kind.PROVINCE, level=Agency.Level.PROVINCE)  # fmt: skip
    user = OfficerFactory()
    Membership.objects.create(user=user, agency=province, role=Role.SYSTEM_ADMIN)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
