"""Drafts, online submission (state 1, channel 2) and desk intake (channels 1 and 3, received at once)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.selectors import applicant_account_for_cccd
from chinhquyenso.agencies.models import Agency, Role
from chinhquyenso.catalog.models import Procedure, ProcedureCase
from chinhquyenso.catalog.text import normalize_search
from chinhquyenso.core.audit import audit_record
from chinhquyenso.dossiers.attachments import (
    AttachmentRejected,
    CheckedFile,
    attachments_save,
    check_file,
    component_for,
    removed_on_error,
)
from chinhquyenso.dossiers.errors import (
    DossierNotFound,
    IllegalTransition,
    InvalidDossier,
    NotAllowed,
)
from chinhquyenso.dossiers.models import (
    Channel,
    Dossier,
    State,
)
from chinhquyenso.dossiers.services.actions import _receive
from chinhquyenso.dossiers.services.common import _has_role, _lock, _record, _save, rule_set_for, workflow_for


def _default_receiving_agency(case: ProcedureCase, actor: User | None) -> Agency:
    version = case.version
    explicit = version.receiving_agencies.filter(active=True, is_one_stop=True).first()
    if explicit is not None:
        return explicit
    if version.level == "commune" and actor is not None and actor.ward_code:
        commune = Agency.objects.filter(ward_code=actor.ward_code, active=True).first()
        if commune is not None:
            return commune
    one_stop = (
        Agency.objects.filter(is_one_stop=True, active=True, level=version.level).order_by("kind", "name").first()
    )
    if one_stop is None:
        raise InvalidDossier(gettext("Chưa có bộ phận một cửa nào nhận hồ sơ thủ tục này."))
    return one_stop


@dataclass
class Applicant:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def _applicant_from_user(user: User) -> Applicant:
    from chinhquyenso.agencies.selectors import ward_name

    address = ", ".join(p for p in (user.address_line, ward_name(user.ward_code)) if p)
    return Applicant(
        name=user.display_name,
        id_number=(user.cccd or user.tax_code or ""),
        phone=user.phone or "",
        email=user.email,
        address=address,
    )


def dossier_draft_create(
    *,
    actor: User,
    case: ProcedureCase,
    data: dict[str, Any] | None = None,
    receiving_agency: Agency | None = None,
    idempotency_key: str | None = None,
) -> tuple[Dossier, bool]:
    """A citizen's or business's draft for a published case. Returns (dossier, created).

    With an ``idempotency_key`` a retried request returns the dossier the first request created.
    """
    if actor.is_officer:
        raise NotAllowed(gettext("Tài khoản cán bộ không nộp hồ sơ trực tuyến; hãy dùng chức năng tiếp nhận tại quầy."))
    if idempotency_key:
        existing = Dossier.objects.filter(applicant=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    procedure: Procedure = case.version.procedure
    if procedure.current_version_id != case.version_id or procedure.status != Procedure.Status.ACTIVE:
        raise InvalidDossier(gettext("Thủ tục này không còn nhận hồ sơ theo phiên bản đã chọn; hãy tải lại trang."))
    agency = receiving_agency or _default_receiving_agency(case, actor)
    if not agency.is_one_stop:
        message = gettext("Nơi tiếp nhận đã chọn không có bộ phận một cửa.")
        raise InvalidDossier(message, fields={"receiving_agency": [message]})
    applicant = _applicant_from_user(actor)
    now = timezone.now()
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(
                case=case,
                workflow=workflow_for(case=case),
                rule_set=rule_set_for(now),
                applicant=actor,
                applicant_name=applicant.name,
                applicant_search=normalize_search(applicant.name),
                applicant_id_number=applicant.id_number,
                applicant_phone=applicant.phone,
                applicant_email=applicant.email,
                applicant_address=applicant.address,
                channel=Channel.ONLINE,
                state=State.SUBMITTED,
                is_draft=True,
                receiving_agency=agency,
                current_agency=agency,
                current_role=Role.ONE_STOP,
                data=data or {},
                idempotency_key=idempotency_key or None,
            )
            dossier.route_agencies.add(agency)
            audit_record(actor=actor, action="dossier.draft", obj=dossier)
    except IntegrityError:
        # Two retries with one key raced: the other one won; answer with its dossier.
        existing = Dossier.objects.filter(applicant=actor, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    return dossier, True


def dossier_draft_update(*, actor: User, dossier_id: int, data: dict[str, Any]) -> Dossier:
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        if dossier.applicant_id != actor.pk:
            raise DossierNotFound
        if not dossier.is_draft:
            raise IllegalTransition(gettext("Hồ sơ đã nộp, không sửa được tờ khai."), allowed=[])
        dossier.data = data
        _save(dossier, "data")
    return dossier


def check_dossier_complete(*, dossier: Dossier) -> dict[str, list[str]]:
    """Field errors of the declaration plus a message for every required document not attached."""
    from chinhquyenso.catalog.forms_render import validate_submission

    found = validate_submission(case=dossier.case, data=dossier.data)
    # In the form's own order, whatever order the database returned the declaration's keys in (jsonb sorts them).
    order = [n for n in (dossier.case.form_ui or {}).get("order", []) if isinstance(n, str)]

    def position(field: str) -> tuple[int, int, str]:
        top = field.split(".", 1)[0]
        return (0, order.index(top), field) if top in order else (1, 0, field)

    errors = {field: found[field] for field in sorted(found, key=position)}
    attached = set(dossier.attachments.values_list("component_id", flat=True))
    for component in dossier.case.components.filter(required=True):
        if component.pk not in attached:
            errors.setdefault(f"component-{component.code}", []).append(
                gettext("Chưa đính kèm «%(component)s» (bắt buộc).") % {"component": component.name}
            )
    return errors


def dossier_submit(*, actor: User, dossier_id: int) -> Dossier:
    """Submit a draft online (state 1, channel 2). Submitting twice returns the same dossier unchanged."""
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        if dossier.applicant_id != actor.pk:
            raise DossierNotFound
        if not dossier.is_draft:
            return dossier  # double click / retry: already submitted, nothing to do
        errors = check_dossier_complete(dossier=dossier)
        if errors:
            raise InvalidDossier(gettext("Hồ sơ chưa đầy đủ; hãy sửa các mục được nêu."), fields=errors)
        dossier.is_draft = False
        dossier.state = State.SUBMITTED
        dossier.submitted_at = timezone.now()
        _save(dossier, "is_draft", "state", "submitted_at")
        _record(dossier, actor=actor, action="submit", from_state=None, note="Hồ sơ đã được nộp trực tuyến.")
    return dossier


def _checked_scans(case: ProcedureCase, scans: Sequence[tuple[str, File[Any]]]) -> list[CheckedFile]:
    """Every scan checked before anything is written. All refused files are reported at once, each under its
    component (``component-<code>``), so the officer fixes them in one go; a code of another case is a 422."""
    checked: list[CheckedFile] = []
    refused: dict[str, list[str]] = {}
    status = 0
    total = 0
    for code, upload in scans:
        component = component_for(case=case, code=code)
        try:
            item = check_file(upload=upload, component=component, dossier_total=total)
        except AttachmentRejected as exc:
            refused.setdefault(f"component-{code}", []).append(exc.message)
            status = status or exc.status
            continue
        checked.append(item)
        total += item.size
    if refused:
        reasons = [message for messages in refused.values() for message in messages]
        summary = reasons[0]
        if len(reasons) > 1:
            summary = gettext("%(count)s tệp không được nhận: %(reasons)s") % {"count": len(reasons),
                                                                              "reasons": " ".join(reasons)}  # fmt: skip
        raise AttachmentRejected(summary, fields=refused).with_status(status)
    return checked


def dossier_intake_at_desk(
    *,
    actor: User,
    case: ProcedureCase,
    agency: Agency,
    channel: int,
    applicant: Applicant,
    data: dict[str, Any],
    applicant_user: User | None = None,
    scans: Sequence[tuple[str, File[Any]]] = (),
) -> Dossier:
    """An officer receives a dossier in person (channel 1) or by post (channel 3); it is received at once.

    ``scans`` are (component code, file) pairs: the paper documents digitised at the desk. They are optional (a
    paper dossier is complete without them, ADR 0014) and all or nothing: every file is checked before anything is
    written, and a failure after some files were stored removes them with the dossier.

    Without an explicit ``applicant_user``, a 12-digit CCCD typed by the officer that is the CCCD of an active
    citizen or business account links the dossier to that account (ADR 0014); officer accounts are never linked.
    """
    if channel not in (Channel.IN_PERSON, Channel.POST):
        raise InvalidDossier(gettext("Kênh tiếp nhận tại quầy chỉ là trực tiếp hoặc bưu chính."))
    if not _has_role(actor, agency, {Role.ONE_STOP}):
        raise NotAllowed(gettext("Bạn không phải cán bộ một cửa của đơn vị này."))
    if applicant_user is not None and applicant_user.is_officer:
        raise NotAllowed(gettext("Không gắn hồ sơ với tài khoản cán bộ."))
    from chinhquyenso.catalog.forms_render import validate_submission

    errors = validate_submission(case=case, data=data)
    if not applicant.name.strip():
        errors = {**errors, "applicant_name": [gettext("Vui lòng nhập họ tên người nộp.")]}
    if errors:
        raise InvalidDossier(gettext("Tờ khai chưa hợp lệ; hãy sửa các mục được nêu."), fields=dict(errors))
    checked = _checked_scans(case, scans)
    if applicant_user is None:
        applicant_user = applicant_account_for_cccd(cccd=applicant.id_number)
    # A linked applicant is told through the contacts of their account when the officer typed none.
    phone = applicant.phone or (applicant_user.phone if applicant_user is not None else "") or ""
    email = applicant.email or (applicant_user.email if applicant_user is not None else "")
    now = timezone.now()
    with removed_on_error() as saved, transaction.atomic():
        dossier = Dossier.objects.create(
            case=case,
            workflow=workflow_for(case=case),
            rule_set=rule_set_for(now),
            applicant=applicant_user,
            applicant_name=applicant.name.strip(),
            applicant_search=normalize_search(applicant.name),
            applicant_id_number=applicant.id_number,
            applicant_phone=phone,
            applicant_email=email,
            applicant_address=applicant.address,
            channel=channel,
            state=State.SUBMITTED,
            is_draft=False,
            submitted_at=now,
            receiving_agency=agency,
            current_agency=agency,
            current_role=Role.ONE_STOP,
            data=data,
        )
        dossier.route_agencies.add(agency)
        _record(dossier, actor=actor, action="submit", from_state=None, note="Hồ sơ nộp tại bộ phận một cửa.",
                notify=False)  # fmt: skip
        _receive(dossier, actor=actor, now=now)
        attachments_save(actor=actor, dossier=dossier, files=checked, saved=saved)
    return dossier
