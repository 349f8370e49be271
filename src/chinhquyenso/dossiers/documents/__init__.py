"""Printable documents of the one-stop: forms 01–07 of Thông tư 03/2025/TT-VPCP, Phụ lục I (DOMAIN.md §3.4).

``pdf`` holds the page layout (Nghị định 30/2020/NĐ-CP), ``forms`` forms 01–06 of one dossier, ``register`` form 07
(an agency's register of dossiers, PDF and XLSX). Decisions: docs/adr/0008-pdf-forms.md.
"""

from chinhquyenso.dossiers.documents.forms import (
    control_sheet_rows,
    issued_form_document,
    issued_form_pdf_name,
    render_control_sheet,
    render_issued_form,
)
from chinhquyenso.dossiers.documents.pdf import tracking_url
from chinhquyenso.dossiers.documents.register import register_dossiers, render_register_pdf, render_register_xlsx

__all__ = [
    "control_sheet_rows",
    "issued_form_document",
    "issued_form_pdf_name",
    "register_dossiers",
    "render_control_sheet",
    "render_issued_form",
    "render_register_pdf",
    "render_register_xlsx",
    "tracking_url",
]
