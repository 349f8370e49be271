"""Catalog factories (factory_boy). Kept simple; other apps build their fixtures on them.

    ProcedureFactory()                       procedure HP.TEST.NNNN with a published v1 holding one case "01"
    ProcedureFactory(version=None)           the procedure alone (no version)
    ProcedureVersionFactory(status=DRAFT)    a draft (not made current)
    ProcedureCaseFactory(version=v)          another case on an existing (draft) version
    FeeFactory(case=c), DocumentComponentFactory(case=c)

Codes are local test codes (``HP.TEST.``, ``is_local_code=True``): tests never invent national codes.
Factories write rows directly, bypassing the services (so they can also build published content quickly).
"""

from __future__ import annotations

import factory
from django.utils import timezone

from chinhquyenso.catalog.models import (
    DocumentComponent,
    Fee,
    Field,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    TimeUnit,
)
from chinhquyenso.catalog.text import normalize_search

SIMPLE_SCHEMA = {
    "type": "object",
    "properties": {"ho_ten": {"type": "string", "minLength": 1, "maxLength": 100}},
    "required": ["ho_ten"],
}
SIMPLE_UI = {
    "order": ["ho_ten"],
    "fields": {"ho_ten": {"label": "Họ, chữ đệm, tên", "widget": "text", "prefill": "profile.full_name"}},
}


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"HP.LV.TEST{n:03d}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử nghiệm {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"HP.TEST.{n:04d}")
    is_local_code = True
    version = factory.RelatedFactory(
        "chinhquyenso.catalog.tests.factories.ProcedureVersionFactory", factory_related_name="procedure"
    )


class ProcedureVersionFactory(factory.django.DjangoModelFactory):
    """A version; when published (the default) it becomes the procedure's current version."""

    class Meta:
        model = ProcedureVersion
        skip_postgeneration_save = True

    procedure = factory.SubFactory(ProcedureFactory, version=None)
    number = 1
    status = ProcedureVersion.Status.PUBLISHED
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    field = factory.SubFactory(FieldFactory)
    level = Level.COMMUNE
    competent_authority = "Ủy ban nhân dân cấp xã"
    online_level = OnlineLevel.FULL
    result_type = "Kết quả thử nghiệm"
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == ProcedureVersion.Status.PUBLISHED else None
    )
    search_text = factory.LazyAttribute(lambda o: normalize_search(f"{o.procedure.code} {o.name} {o.field.name}"))
    case = factory.RelatedFactory(
        "chinhquyenso.catalog.tests.factories.ProcedureCaseFactory", factory_related_name="version", code="01"
    )

    @factory.post_generation
    def make_current(obj, create, extracted, **kwargs):
        if create and obj.status == ProcedureVersion.Status.PUBLISHED:
            Procedure.objects.filter(pk=obj.procedure_id).update(current_version=obj)
            obj.procedure.current_version = obj


class ProcedureCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureCase

    version = factory.SubFactory(ProcedureVersionFactory, case=None)
    code = factory.Sequence(lambda n: f"TH{n:04d}")
    name = factory.Sequence(lambda n: f"Trường hợp {n}")
    processing_value = 3
    processing_unit = TimeUnit.WORKING_DAYS
    form_schema = factory.LazyFunction(lambda: {**SIMPLE_SCHEMA})
    form_ui = factory.LazyFunction(lambda: {**SIMPLE_UI})


class FeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fee

    case = factory.SubFactory(ProcedureCaseFactory)
    kind = Fee.Kind.FEE
    name = "Lệ phí"
    amount = 8000
    unit = "lần"


class DocumentComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentComponent

    case = factory.SubFactory(ProcedureCaseFactory)
    code = factory.Sequence(lambda n: f"thanh-phan-{n}")
    name = factory.Sequence(lambda n: f"Giấy tờ thử nghiệm {n}")
    form = DocumentComponent.Form.ORIGINAL
    quantity = 1
    required = True
