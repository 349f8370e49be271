"""One file input per document component, as the upload pages (applicant) and the desk intake (officer) show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from chinhquyenso.catalog.models import DocumentComponent
from chinhquyenso.dossiers.models import Attachment


@dataclass
class FileSlot:
    """A component's file input: its name (``<prefix><component code>``), the ids its hint and errors are described
    by, and the reasons a file was refused."""

    prefix: ClassVar[str] = "tep-"
    component: DocumentComponent
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.prefix}{self.component.code}"

    @property
    def name(self) -> str:
        return self.id

    @property
    def hint_id(self) -> str:
        return f"{self.id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    @property
    def describedby(self) -> str:
        return f"{self.hint_id} {self.error_id}" if self.errors else self.hint_id


@dataclass
class UploadSlot(FileSlot):
    """On the applicant's upload pages: what is already attached to the component."""

    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class ScanSlot(FileSlot):
    """At the desk intake: the files a refused post had chosen (a browser cannot keep them: they are chosen again)."""

    prefix: ClassVar[str] = "scan-"
    chosen: list[str] = field(default_factory=list)
