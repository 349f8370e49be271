"""A procedure case's form: rendered from its JSON Schema (draft 2020-12) and ``form_ui`` hints, and checked on return.

Besides the hints documented in ``catalog/schema.py``, a field's hints may carry ``enumLabels`` ({value: label}, or
a list parallel to ``enum``), ``patternMessage`` (the error shown when ``pattern`` fails), ``itemLabel`` (what one
entry of a repeated group is called, e.g. "Người làm chứng"), ``radios`` (true: a select's few options as radio
buttons) and ``autocomplete`` (overrides the token derived from ``prefill``). An ``address``, a ``group`` or a
nested object takes ``fields`` and ``order`` for its own properties, in the same shape as the top level.
A group's entry hints may also sit under ``item`` (as the demo form library writes them).
A field without a ``widget`` hint gets one from its schema (``format: date`` → date, ``enum`` → select...).

Paths: ``children.0.name`` is both the data path and the HTML ``name``; the element id is ``f-children__0__name``.
Dates travel as ISO ``YYYY-MM-DD`` in data and as ``dd/mm/yyyy`` on screen; money is an integer number of đồng,
shown with dots between thousands (1.250.000).

The package, module by module: ``spec`` reads the schema and hints into field specs; ``money`` parses and shows
amounts; ``fields`` holds what the templates receive; ``build`` makes the fields of a page; ``parse`` reads a POST
back into a document; ``validate`` checks it with Vietnamese messages; ``summary`` lists what was entered.
"""

from __future__ import annotations

from chinhquyenso.catalog.forms_render.build import build_form, error_summary, hidden_inputs
from chinhquyenso.catalog.forms_render.fields import Choice, ErrorLink, FieldView, GroupItem, SummaryRow
from chinhquyenso.catalog.forms_render.money import format_money, parse_money
from chinhquyenso.catalog.forms_render.parse import parse_submission
from chinhquyenso.catalog.forms_render.spec import CCCD_PATTERN, MISSING, Path, PathPart
from chinhquyenso.catalog.forms_render.summary import summary_rows
from chinhquyenso.catalog.forms_render.validate import validate_submission

__all__ = [
    "CCCD_PATTERN", "MISSING", "Choice", "ErrorLink", "FieldView", "GroupItem", "Path", "PathPart", "SummaryRow",
    "build_form", "error_summary", "format_money", "hidden_inputs", "parse_money", "parse_submission", "summary_rows",
    "validate_submission",
]  # fmt: skip
