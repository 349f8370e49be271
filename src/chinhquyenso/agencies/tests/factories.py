from __future__ import annotations

import factory

from chinhquyenso.accounts.tests.factories import OfficerFactory
from chinhquyenso.agencies.models import Agency, Membership, Role


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"000.00.{n % 100:02d}.T{n // 100:02d}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    kind = Agency.Kind.DEPARTMENT
    level = Agency.Level.PROVINCE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(OfficerFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.ONE_STOP
