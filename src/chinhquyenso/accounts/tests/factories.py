from __future__ import annotations

import factory

from chinhquyenso.accounts.models import User

PASSWORD = "Mat-khau-an-toan-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    kind = User.Kind.CITIZEN
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    cccd = factory.Sequence(lambda n: f"031{n:09d}")
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    ward_code = 11311
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: object = None) -> None:
        if create:
            instance.save()


class OfficerFactory(UserFactory):
    kind = User.Kind.OFFICER
    cccd = None
    phone = None
