"""What the templates receive: one view object per field, choices, repeated-group rows, error links."""

from __future__ import annotations

import dataclasses

from chinhquyenso.catalog.forms_render.spec import _in_sentence


@dataclasses.dataclass
class Choice:
    value: str
    label: str
    selected: bool = False
    id: str = ""  # only for radios: the first one carries the field's id, so error links land on it


@dataclasses.dataclass
class GroupItem:
    """One entry of a repeated group; ``is_extra`` is the blank row offered for one more entry."""

    index: int
    label: str
    name_prefix: str
    id_prefix: str
    fields: list[FieldView]
    is_extra: bool = False


@dataclasses.dataclass
class FieldView:
    path: str
    id: str
    name: str
    label: str
    hint: str
    widget: str
    required: bool
    value: str = ""
    checked: bool = False
    choices: list[Choice] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)
    children: list[FieldView] = dataclasses.field(default_factory=list)  # address parts, nested object properties
    items: list[GroupItem] = dataclasses.field(default_factory=list)  # repeated group entries
    item_label: str = ""
    max_items: int | None = None
    input_type: str = "text"
    inputmode: str = ""
    autocomplete: str = ""
    spellcheck: bool = True
    radios: bool = False
    context: str = ""  # the enclosing group entry or fieldset, to make error summary lines unambiguous

    @property
    def hint_id(self) -> str:
        return f"{self.id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    @property
    def describedby(self) -> str:
        ids = [self.hint_id] if self.hint else []
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def item_in_sentence(self) -> str:
        return _in_sentence(self.item_label)

    @property
    def is_fieldset(self) -> bool:
        return self.widget in {"address", "object", "group"} or self.radios

    @property
    def anchor(self) -> str:
        """The id of the first control, where an error summary link should take the applicant."""
        if self.children:
            return self.children[0].anchor
        if self.items and self.items[0].fields:
            return self.items[0].fields[0].anchor
        return self.id


@dataclasses.dataclass
class ErrorLink:
    href: str
    text: str


@dataclasses.dataclass
class SummaryRow:
    label: str
    text: str = ""
    rows: list[SummaryRow] = dataclasses.field(default_factory=list)
