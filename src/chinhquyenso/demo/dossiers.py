"""About 2,000 demo dossiers for the demo province, so every screen (inboxes, tracking, officer detail, "my
dossiers", statistics) has real-looking content.

How the distribution comes about. Each dossier is a *story* told forward in time with the real rules (the bulk
builder of ``dossiers/bulk.py`` replays every action as the services would: due dates from the working-day calendar
and office hours, supplements, extensions, classification) and stopped at "now": an action that would happen in the
future is simply not there yet. So the states follow from the dates: dossiers of the first months are long returned
(a few refused, withdrawn or stopped, a few results never collected), those of the last weeks are in every open
state, some overdue and some due within 24 hours. Concretely:

- ~86 % are spread over the working days of the current month and the five before it (from the 1st, so monthly
  statistics start clean), with a slowly growing volume; ~14 % are the workload of the last 12 working days, biased
  towards phường Hồng Bàng and towards procedures that take several days, so the inboxes of the demo officers
  (``motcua``, ``chuyenvien``, ``lanhdao``) are full at every step. The volume per day stays about even.
- procedures are weighted like a commune's real mix (chứng thực, khai sinh, cư trú first); province procedures
  (LLTP at Công an thành phố, doanh nghiệp tư nhân at Sở Tài chính) are received by the city's service centre.
- channel mix ~60 % online, ~35 % in person, ~5 % by post (within what each procedure case allows); in-person and
  post dossiers are received on working days inside office hours; online ones are submitted at any hour and
  received by the desk during office hours.
- ~8–12 % of finished dossiers are late (processing past the due date, or a second supplement request).
- Sở Tư pháp: the demo catalog has no procedure whose competent agency is Sở Tư pháp (its LLTP procedure is handled
  by Công an thành phố), so its share comes from liên thông: communes transfer part of their foreign-element and
  re-registration civil-status dossiers to the Sở for appraisal (a demo assumption, not a legal route).

The demo accounts own some: ``congdan`` 15 dossiers and ``doanhnghiep`` 6, each meant to show a given state today
(returned, late, supplement pending, withdrawn ...); such a story is retold with fresh draws until it is there.

Personal data: every other applicant is a generated person without an account (``applicant=None``, as for counter dossiers). Their identity numbers are
clearly fake: ``0319999xxxxx``. A CCCD number is 3 digits of province (031 = Hải Phòng), 1 digit of century and sex,
2 of birth year and 6 of sequence; the 4th digit 9 means "a woman born in the 2300s", so no real person can hold
one of these numbers. Phone numbers start with ``0100`` (not a mobile prefix since the 2018 renumbering, and
landline numbers have 11 digits), e-mails use the reserved ``example.com`` (RFC 2606) and organisations' tax codes start
with ``00`` (no province has code 00).

The load writes ONE audit entry (``demo.dossiers.load`` with the count), not one per dossier: seeding is not a user
action (see ``dossiers/bulk.py``).
"""

from __future__ import annotations

import random
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency, Membership, Role
from chinhquyenso.agencies.selectors import ward_name
from chinhquyenso.catalog.codelists import codelist_choices
from chinhquyenso.catalog.models import Procedure, ProcedureCase
from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.calendar import TZ, OfficeHours, to_local
from chinhquyenso.core.models import AuditEntry
from chinhquyenso.dossiers.bulk import Actor, Applicant, BulkContext, DossierBuilder, bulk_write
from chinhquyenso.dossiers.models import Channel, Dossier, State

AUDIT_ACTION = "demo.dossiers.load"
FAKE_ID_PREFIX = "0319999"  # + 5 digits: see the module docstring
FAKE_PHONE_PREFIX = "0100"
FAKE_TAX_PREFIX = "00"
EMAIL_DOMAIN = "example.com"
WINDOW_MONTHS = 5  # the current month and the five before it, from the 1st (clean monthly statistics)
WORKLOAD_SHARE = 0.14
WORKLOAD_WORKING_DAYS = 12

HONG_BANG_CODE = "113.11.00.H26"
CENTER_CODE = "000.00.17.H26"
JUSTICE_CODE = "000.00.04.H26"

# A commune's mix: weights per procedure code (anything not listed, e.g. added to the catalog later, gets 0.5).
PROCEDURE_WEIGHTS: dict[str, float] = {
    "2.000815": 22, "2.000884": 6, "1.001193": 12, "1.004194": 8, "1.004222": 6, "1.002755": 3, "1.003197": 2,
    "1.010028": 1.5, "1.010038": 1.5, "1.010039": 2, "1.000656": 3, "1.000894": 4, "2.000635": 5, "1.004873": 5,
    "1.004859": 1.5, "1.001022": 0.5, "1.000689": 0.5, "1.004884": 0.7, "1.004746": 0.3, "1.005461": 0.3,
    "1.004772": 0.3, "1.004837": 0.3, "2.000528": 0.5, "2.000806": 0.6, "1.001612": 2.5, "2.000720": 1.2,
    "1.001570": 0.8, "1.001266": 0.6, "2.000575": 0.4, "1.001776": 1.2, "1.001731": 0.4, "1.014027": 0.6,
    "1.014028": 0.2, "1.012783": 2.5, "1.012786": 0.6, "1.013978": 1.5, "1.011441": 2, "HP.XD.0001": 1.2,
    "3.000333": 6, "2.001610": 0.8,
}  # fmt: skip
# This fortnight's workload leans on procedures that take days (same-day ones are finished by now anyway).
WORKLOAD_BOOST: dict[str, float] = {
    "2.000815": 0.15, "2.000884": 0.2, "1.001193": 0.3, "1.000656": 0.4, "2.000635": 0.4, "1.000894": 0.5,
    "2.000528": 8, "2.000806": 8, "1.004859": 4, "1.004884": 4, "1.004746": 4, "1.005461": 4, "HP.XD.0001": 2,
    "1.013978": 2, "3.000333": 1.5,
}  # fmt: skip
# Liên thông to Sở Tư pháp for appraisal (demo assumption, see the module docstring): share of each procedure's dossiers.
JUSTICE_TRANSFER: dict[str, float] = {
    "2.000528": 0.8, "2.000806": 0.8, "1.004859": 0.4, "1.004884": 0.4, "1.004746": 0.4, "1.005461": 0.4,
    "1.004772": 0.4,
}  # fmt: skip
NO_POST = frozenset({"2.000815", "2.000884", "1.000894", "1.004746", "2.000806"})  # the applicant must be there
WITH_FEES = frozenset({"1.012783", "1.012786", "1.013978", "1.001612", "HP.XD.0001", "2.000720"})
# Nominal weights; post is allowed for fewer cases, so it is weighted up to end near 5 % overall.
CHANNEL_MIX = ((Channel.ONLINE, 0.60), (Channel.IN_PERSON, 0.33), (Channel.POST, 0.09))
NO_DUE_BUDGET_HOURS = 80.0  # procedures without a legal time: treated as about 10 working days

SURNAMES = (
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Phạm", 8), ("Hoàng", 5), ("Vũ", 5), ("Đỗ", 3), ("Bùi", 3),
    ("Đặng", 2), ("Ngô", 2), ("Dương", 1.5), ("Đinh", 1.2), ("Đào", 1.2), ("Lương", 1), ("Mạc", 0.8), ("Phan", 1),
    ("Trịnh", 1), ("Hà", 0.8), ("Cao", 0.7), ("Đoàn", 0.8), ("Tô", 0.5), ("Lưu", 0.5), ("Nhữ", 0.3), ("Hồ", 0.5),
)  # fmt: skip
MIDDLE = {
    "nam": ("Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Xuân", "Mạnh", "Tiến", "Công", "Trọng", "Ngọc"),
    "nu": ("Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Thùy", "Phương", "Minh", "Hồng", "Kim", "Bích", "Khánh"),
}
GIVEN = {
    "nam": ("An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh", "Khôi",
            "Kiên", "Long", "Lâm", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng",
            "Thành", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Duy", "Hưng", "Tâm", "Thịnh", "Đức", "Khải"),
    "nu": ("Anh", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hằng", "Hạnh", "Hiền", "Hoa", "Huệ", "Huyền", "Hương", "Lan",
           "Liên", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo",
           "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Thư", "Hồng", "Nhàn"),
}  # fmt: skip
STREETS = (
    "Lạch Tray", "Trần Phú", "Điện Biên Phủ", "Hoàng Văn Thụ", "Minh Khai", "Lê Lợi", "Cầu Đất", "Tô Hiệu",
    "Lê Thánh Tông", "Văn Cao", "Trần Nguyên Hãn", "Hai Bà Trưng", "Quang Trung", "Nguyễn Đức Cảnh", "Đà Nẵng",
    "Lê Hồng Phong", "Nguyễn Văn Linh", "Hùng Vương", "Bạch Đằng", "Tôn Đức Thắng", "Lý Thường Kiệt", "Chi Lăng",
)  # fmt: skip
VILLAGES = ("Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "An Lạc", "Phú Xá", "Tiên Hội", "Kim Sơn", "Đồng Lạc")
SHOP_WORDS = ("Minh Anh", "Hải Long", "Phúc An", "Thành Đạt", "Hồng Phát", "Bảo Ngọc", "Tân Tiến", "Gia Huy", "Việt Hà")
TRADES = (
    "Bán lẻ lương thực, thực phẩm trong cửa hàng (4722)", "Dịch vụ ăn uống (5610)",
    "Bảo dưỡng, sửa chữa mô tô, xe máy (4542)", "Bán lẻ hàng may mặc (4771)", "Cắt tóc, gội đầu (9631)",
    "Bán lẻ đồ uống (4723)", "Dịch vụ lưu trú ngắn ngày (5510)",
)  # fmt: skip
HOSPITALS = (
    "Bệnh viện Phụ sản Hải Phòng", "Bệnh viện Trẻ em Hải Phòng", "Bệnh viện Hữu nghị Việt Tiệp",
    "Bệnh viện Đa khoa quốc tế Hải Phòng", "Trung tâm Y tế khu vực",
)  # fmt: skip
DOCUMENTS = (
    "Bằng tốt nghiệp trung học phổ thông", "Bằng tốt nghiệp đại học", "Giấy khai sinh", "Hợp đồng mua bán xe máy",
    "Giấy chứng nhận quyền sử dụng đất", "Học bạ trung học phổ thông", "Giấy đăng ký xe", "Sổ đỏ (bản chính)",
)  # fmt: skip
PURPOSES = (
    "Bổ sung hồ sơ xin việc", "Làm thủ tục kết hôn", "Hồ sơ du học", "Hồ sơ vay vốn ngân hàng", "Làm thủ tục mua bán nhà đất",
    "Bổ sung hồ sơ nhập học cho con",
)  # fmt: skip
MISSING = {
    "hộ tịch": ("Bản chụp Giấy chứng sinh không rõ nét, đề nghị nộp lại bản rõ nét",
                "Thiếu văn bản ủy quyền có chứng thực", "Tờ khai ghi chưa đúng ngày sinh so với giấy tờ"),
    "cư trú": ("Thiếu giấy tờ chứng minh chỗ ở hợp pháp", "Thiếu ý kiến đồng ý của chủ hộ",
               "Thông tin chỗ ở chưa khớp với Cơ sở dữ liệu về cư trú"),
    "đất đai": ("Thiếu bản gốc Giấy chứng nhận đã cấp", "Sơ đồ thửa đất chưa khớp hiện trạng sử dụng",
                "Thiếu chứng từ nộp nghĩa vụ tài chính lần trước"),
    "": ("Tờ khai chưa ghi đầy đủ thông tin bắt buộc", "Bản chụp giấy tờ tùy thân không rõ nét",
         "Thiếu bản sao giấy tờ chứng minh thuộc đối tượng"),
}  # fmt: skip
REFUSALS = (
    "Yêu cầu không thuộc thẩm quyền giải quyết của đơn vị", "Hồ sơ trùng với hồ sơ đã được tiếp nhận trước đó",
    "Người nộp không thuộc đối tượng thực hiện thủ tục",
)  # fmt: skip
STOPS = (
    "Kết quả xác minh cho thấy không đủ điều kiện giải quyết", "Có tranh chấp, khiếu nại liên quan đang được giải quyết",
)  # fmt: skip
UNANSWERED = "Người yêu cầu không bổ sung hồ sơ trong thời hạn đã hẹn"
WITHDRAWALS = ("Không còn nhu cầu giải quyết", "Nộp nhầm thủ tục, sẽ nộp hồ sơ khác", "Cần bổ sung thêm giấy tờ")
EXTENSIONS = (
    "Cần xác minh thêm thông tin với cơ quan có liên quan", "Cơ sở dữ liệu chuyên ngành gián đoạn, chưa khai thác được",
)  # fmt: skip
ONLINE_HOURS = (0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 1.5, 2.5, 3, 3, 2.5, 1.5, 1.8, 2.5, 2.8, 2.5, 2, 1.5, 1.8, 2, 1.6,
                1, 0.5)  # fmt: skip


def load_demo_dossiers(*, count: int = 2000, seed: int = 766) -> int:
    """Create ``count`` demo dossiers once (deterministic for a given seed and "now"); returns how many, 0 if the demo
    dossiers are already there. Needs the demo province (``demo.loader.load_demo``) and ``settings.DEMO_MODE``."""
    if not settings.DEMO_MODE:
        raise RuntimeError("Dữ liệu trình diễn chỉ được nạp khi CQS_DEMO bật (never in production).")
    if count <= 0:
        return 0
    with transaction.atomic():
        if (
            AuditEntry.objects.filter(action=AUDIT_ACTION).exists()
            or Dossier.objects.filter(applicant_id_number__startswith=FAKE_ID_PREFIX).exists()
        ):
            return 0
        now = timezone.now()
        ctx = BulkContext.load()
        generator = DemoDossiers(world=DemoWorld.load(), ctx=ctx, rng=random.Random(seed), now=now)  # noqa: S311 (demo data)
        builders = generator.generate(count)
        builders.sort(key=lambda b: b.dossier.received_at or b.dossier.submitted_at or now)
        written = bulk_write(builders)
        audit_record(actor=None, action=AUDIT_ACTION, object_type="demo", object_id="dossiers",
                     after={"count": written, "seed": seed})  # fmt: skip
    return written


# --- the demo world ------------------------------------------------------------------------------------------------
@dataclass
class DemoWorld:
    """What the generator draws from: the published cases, the agencies and the staff of the demo province."""

    cases: dict[str, list[ProcedureCase]]
    level: dict[str, str]
    explicit_desks: dict[str, list[Agency]]
    communes: list[Agency]
    province_desks: list[Agency]
    by_code: dict[str, Agency]
    users: dict[str, User]
    staff: dict[tuple[int, str], list[User]]

    @classmethod
    def load(cls) -> DemoWorld:
        users = {u.username: u for u in User.objects.filter(username__in=["congdan", "doanhnghiep"])}
        if len(users) < 2 or not Agency.objects.filter(code=HONG_BANG_CODE).exists():
            raise RuntimeError("Hãy nạp tỉnh trình diễn trước (chinhquyenso.demo.loader.load_demo).")
        cases: dict[str, list[ProcedureCase]] = defaultdict(list)
        level: dict[str, str] = {}
        explicit: dict[str, list[Agency]] = {}
        published = (
            ProcedureCase.objects.filter(
                version__procedure__current_version_id=F("version_id"),
                version__procedure__status=Procedure.Status.ACTIVE,
            )
            .select_related("version__procedure", "version__field")
            .order_by("version__procedure__code", "order", "code")
        )
        for case in published:
            code = case.version.procedure.code
            if code not in explicit:
                level[code] = case.version.level
                explicit[code] = list(case.version.receiving_agencies.filter(active=True, is_one_stop=True))
            cases[code].append(case)
        agencies = list(Agency.objects.filter(active=True).order_by("code"))
        staff: dict[tuple[int, str], list[User]] = defaultdict(list)
        for membership in Membership.objects.filter(active=True, user__is_active=True).select_related("user"):
            staff[(membership.agency_id, membership.role)].append(membership.user)
        return cls(
            cases=dict(cases),
            level=level,
            explicit_desks=explicit,
            communes=[a for a in agencies if a.kind == Agency.Kind.COMMUNE and a.is_one_stop],
            province_desks=[a for a in agencies if a.level == Agency.Level.PROVINCE and a.is_one_stop],
            by_code={a.code: a for a in agencies},
            users=users,
            staff={key: sorted(members, key=lambda u: u.pk) for key, members in staff.items()},
        )


@dataclass
class Person:
    name: str
    sex: str  # nam | nu (the gender code list)
    born: date
    id_number: str
    phone: str
    email: str
    ward: int
    line: str
    user: User | None = None
    organization: str = ""
    tax_code: str = ""

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.line, ward_name(self.ward)) if p)

    def applicant(self) -> Applicant:
        return Applicant(name=self.organization or self.name, id_number=self.tax_code or self.id_number,
                         phone=self.phone, email=self.email, address=self.address)  # fmt: skip

    def actor(self) -> Actor:
        return Actor.of(self.user) if self.user is not None else Actor(self.organization or self.name)


@dataclass
class Fate:
    """The choices that shape one story (all drawn up front, so a forced story only overrides some)."""

    before_receipt: str = "receive"  # receive | complete_first | refuse | withdraw
    supplements: int = 0
    timing: str = "on_time"  # on_time | late | stuck
    end: str = "approve"  # approve | stop | withdraw | unanswered | payment
    justice: bool = False
    send_back: bool = False
    extend: bool = False
    collected: bool = True
    claim: bool = True


class _Future(Exception):
    """The next action of a story lies after "now": the story stops here."""


@dataclass
class _Slot:
    procedure: str
    channel: int
    desk: Agency
    person: Person
    submitted_at: datetime
    fate: Fate
    workload: bool = False
    case: ProcedureCase | None = None


# --- the generator ---------------------------------------------------------------------------------------------------
class DemoDossiers:
    """Generates the demo dossiers as bulk builders (reusable by a benchmark that wants the same mix)."""

    def __init__(self, *, world: DemoWorld, ctx: BulkContext, rng: random.Random, now: datetime) -> None:
        self.world, self.ctx, self.rng, self.now = world, ctx, rng, now
        self.calendar = ctx.calendar
        self.today = to_local(now).date()
        months = self.today.year * 12 + self.today.month - 1 - WINDOW_MONTHS
        first = date(months // 12, months % 12 + 1, 1)
        self.days = [first + timedelta(days=i) for i in range((self.today - first).days + 1)]
        self.working_days = [d for d in self.days if self.calendar.is_working_day(d)]
        self.recent_days = self.working_days[-WORKLOAD_WORKING_DAYS:]
        self._next_fake = 0
        self._people: dict[int, list[Person]] = defaultdict(list)
        self._fictional: dict[tuple[int, str], list[Actor]] = {}
        self.hong_bang = world.by_code[HONG_BANG_CODE]
        self.justice = world.by_code.get(JUSTICE_CODE)
        self.center = world.by_code.get(CENTER_CODE)
        self._commune_weights = self._weigh_communes()
        self._procedures = [code for code in world.cases if world.level.get(code)]

    # --- public ---------------------------------------------------------------------------------------------------
    def generate(self, count: int) -> list[DossierBuilder]:
        builders = [self._forced(spec) for spec in self._account_specs(count)]
        while len(builders) < count:
            workload = self.rng.random() < WORKLOAD_SHARE
            builders.append(self._tell(self._random_slot(workload=workload)))
        return builders

    # --- people ---------------------------------------------------------------------------------------------------
    def fake_id(self) -> str:
        self._next_fake += 1
        return f"{FAKE_ID_PREFIX}{self._next_fake % 100_000:05d}"

    def fake_phone(self) -> str:
        return f"{FAKE_PHONE_PREFIX}{self.rng.randrange(1_000_000):06d}"

    def name(self, sex: str, surname: str | None = None) -> str:
        rng = self.rng
        family = surname or rng.choices([s for s, _ in SURNAMES], weights=[w for _, w in SURNAMES])[0]
        return f"{family} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"

    def address_line(self, ward: int) -> str:
        if ward_name(ward).startswith("Phường"):
            return f"Số {self.rng.randint(1, 250)} {self.rng.choice(STREETS)}"
        return f"Thôn {self.rng.choice(VILLAGES)}"

    def person(self, ward: int) -> Person:
        known = self._people[ward]
        if known and self.rng.random() < 0.12:  # some people come back with another request
            return self.rng.choice(known)
        sex = self.rng.choice(("nam", "nu"))
        name = self.name(sex)
        born = date(self.rng.randint(1950, 2004), self.rng.randint(1, 12), self.rng.randint(1, 28))
        email = f"{_ascii(name).replace(' ', '.')}{self.rng.randint(1, 999)}@{EMAIL_DOMAIN}"
        person = Person(name=name, sex=sex, born=born, id_number=self.fake_id(), phone=self.fake_phone(),
                        email=email if self.rng.random() < 0.45 else "", ward=ward,
                        line=self.address_line(ward))  # fmt: skip
        known.append(person)
        return person

    def account(self, username: str) -> Person:
        user = self.world.users[username]
        return Person(
            name=user.full_name or user.username, sex="nam" if username == "congdan" else "nu",
            born=user.date_of_birth or date(1985, 1, 1), id_number=user.cccd or self.fake_id(),
            phone=user.phone or self.fake_phone(), email=user.email, ward=user.ward_code or 11311,
            line=user.address_line or self.address_line(user.ward_code or 11311), user=user,
            organization=user.organization_name if user.kind == User.Kind.BUSINESS else "",
            tax_code=user.tax_code or "",
        )  # fmt: skip

    def organization(self, ward: int) -> Person:
        person = self.person(ward)
        org = f"Công ty TNHH {self.rng.choice(SHOP_WORDS)} {self.rng.choice(('Hải Phòng', 'Cảng Việt', 'Đông Hải'))}"
        return Person(**{**person.__dict__, "organization": org,
                         "tax_code": f"{FAKE_TAX_PREFIX}{self.rng.randrange(10**8):08d}"})  # fmt: skip

    # --- officers -------------------------------------------------------------------------------------------------
    def officer(self, agency: Agency, role: str) -> Actor:
        users = self.world.staff.get((agency.pk, role), [])
        if users:
            return Actor.of(self.rng.choice(users))
        key = (agency.pk, role)
        if key not in self._fictional:
            self._fictional[key] = [Actor.officer(self.name(self.rng.choice(("nam", "nu")))) for _ in range(2)]
        return self.rng.choice(self._fictional[key])

    # --- where and what -------------------------------------------------------------------------------------------
    def _weigh_communes(self) -> list[float]:
        fixed = {HONG_BANG_CODE: 22.0, "113.41.00.H26": 6.0, "113.83.00.H26": 6.0, "114.43.00.H26": 4.0}
        rest = 100.0 - sum(fixed.values())
        raw = [
            self.rng.uniform(0.3, 1.5) * (1.5 if a.name.startswith("Ủy ban nhân dân phường") else 1.0)
            for a in self.world.communes
        ]
        others = sum(r for a, r in zip(self.world.communes, raw, strict=True) if a.code not in fixed) or 1.0
        return [
            fixed.get(a.code, rest * r / others) for a, r in zip(self.world.communes, raw, strict=True)
        ]  # fmt: skip

    def _desk(self, procedure: str, workload: bool) -> Agency:
        explicit = self.world.explicit_desks.get(procedure) or []
        if explicit:
            return self.rng.choice(explicit)
        if self.world.level[procedure] == "province":
            return self.center or self.rng.choice(self.world.province_desks)
        if workload and self.rng.random() < 0.45:
            return self.hong_bang
        return self.rng.choices(self.world.communes, weights=self._commune_weights)[0]

    def _channels(self, procedure: str) -> dict[int, list[ProcedureCase]]:
        by_channel: dict[int, list[ProcedureCase]] = defaultdict(list)
        for case in self.world.cases[procedure]:
            for channel in _case_channels(case):
                if channel == Channel.POST and procedure in NO_POST:
                    continue
                by_channel[channel].append(case)
        return by_channel

    def _pick_case(self, procedure: str, channel: int | None = None) -> tuple[int, ProcedureCase]:
        by_channel = self._channels(procedure)
        if channel not in by_channel:
            mix = [(c, w) for c, w in CHANNEL_MIX if c in by_channel]
            channel = self.rng.choices([c for c, _ in mix], weights=[w for _, w in mix])[0]
        cases = by_channel[channel]
        return channel, self.rng.choices(cases, weights=[_case_weight(c) for c in cases])[0]

    def _procedure(self, workload: bool) -> str:
        codes = self._procedures
        weights = [PROCEDURE_WEIGHTS.get(c, 0.5) * (WORKLOAD_BOOST.get(c, 1.0) if workload else 1.0) for c in codes]
        return self.rng.choices(codes, weights=weights)[0]

    # --- time -----------------------------------------------------------------------------------------------------
    def office_moment(self, day: date, hours: OfficeHours) -> datetime:
        (m_start, m_end), (a_start, a_end) = hours.sessions[0], hours.sessions[-1]
        start, end = (m_start, m_end) if self.rng.random() < 0.6 else (a_start, a_end)
        span = (datetime.combine(day, end) - datetime.combine(day, start)).total_seconds()
        moment = datetime.combine(day, start, tzinfo=TZ) + timedelta(seconds=self.rng.uniform(60, span - 60))
        return moment.replace(microsecond=0)

    def any_moment(self, day: date) -> datetime:
        hour = self.rng.choices(range(24), weights=ONLINE_HOURS)[0]
        return datetime.combine(day, time(hour, self.rng.randrange(60), self.rng.randrange(60)), tzinfo=TZ)

    def later(self, moment: datetime, working_hours: float, hours: OfficeHours) -> datetime:
        """``working_hours`` of office time after ``moment`` (always inside office hours on a working day)."""
        result = self.calendar.add_working_hours(moment, timedelta(hours=max(0.0, working_hours)), hours)
        return result.replace(microsecond=0)

    def citizen_later(self, moment: datetime, online: bool, low: float, high: float, hours: OfficeHours) -> datetime:
        """When the applicant comes back: online at any reasonable hour, in person during office hours."""
        if not online:
            return self.later(moment, self.rng.uniform(low, high) * 8 / 24, hours)
        result = moment + timedelta(hours=self.rng.uniform(low, high))
        if result.astimezone(TZ).hour < 6:
            result += timedelta(hours=7)
        return result.replace(microsecond=0)

    def _submission(self, channel: int, desk: Agency, days: Sequence[date], weights: Sequence[float]) -> datetime:
        for _ in range(50):
            day = self.rng.choices(days, weights=weights)[0]
            if channel == Channel.ONLINE and self.rng.random() < 0.2:  # online: weekends and holidays too
                day = self._day_off_near(day)
            moment = self.any_moment(day) if channel == Channel.ONLINE else self.office_moment(day, desk.office_hours)
            if moment <= self.now and (channel == Channel.ONLINE or self.calendar.is_working_day(day)):
                return moment
        earlier = [d for d in self.working_days if d < self.today]  # (only if every draw failed): yesterday or so
        return self.office_moment(earlier[-1] if earlier else self.today - timedelta(days=1), desk.office_hours)

    def _day_off_near(self, day: date) -> date:
        for offset in sorted(range(-4, 5), key=lambda o: (abs(o), self.rng.random())):
            candidate = day + timedelta(days=offset)
            if candidate >= self.days[0] and not self.calendar.is_working_day(candidate):
                return candidate
        return day

    def _submission_between(self, channel: int, desk: Agency, oldest: int, newest: int) -> datetime:
        days = [d for d in self.working_days if oldest >= (self.today - d).days >= newest] or self.working_days[-1:]
        return self._submission(channel, desk, days, [1.0] * len(days))

    # --- slots ----------------------------------------------------------------------------------------------------
    def _fate(self, *, procedure: str, channel: int, workload: bool) -> Fate:
        rng = self.rng
        fate = Fate()
        if channel == Channel.ONLINE:
            roll = rng.random()
            fate.before_receipt = (
                "refuse" if roll < 0.025 else "withdraw" if roll < 0.032 else "complete_first" if roll < 0.08
                else "receive"
            )  # fmt: skip
        roll = rng.random()
        once, twice = (0.22, 0.02) if workload else (0.078, 0.012)
        fate.supplements = 2 if roll < twice else 1 if roll < twice + once else 0
        roll = rng.random()
        fate.end = "stop" if roll < 0.012 else "withdraw" if roll < 0.02 else "approve"
        if fate.supplements and rng.random() < 0.08:
            fate.end = "unanswered"
        if workload and procedure in WITH_FEES and rng.random() < 0.25:
            fate.end = "payment"
        roll = rng.random()
        late_share, stuck_share = (0.11, 0.12) if workload else (0.10, 0.0)
        fate.timing = "late" if roll < late_share else "stuck" if roll < late_share + stuck_share else "on_time"
        fate.justice = self.justice is not None and rng.random() < JUSTICE_TRANSFER.get(procedure, 0.0)
        fate.send_back = rng.random() < 0.03
        fate.extend = fate.timing != "on_time" and rng.random() < 0.15
        fate.collected = channel == Channel.ONLINE or rng.random() > 0.04
        fate.claim = rng.random() < 0.7
        return fate

    def _random_slot(self, *, workload: bool) -> _Slot:
        procedure = self._procedure(workload)
        desk = self._desk(procedure, workload)
        channel, case = self._pick_case(procedure)
        ward = (
            desk.ward_code
            if desk.ward_code and self.rng.random() < 0.85
            else self.rng.choice(self.world.communes).ward_code
        )
        person = self.person(ward or 11311)
        if "to_chuc_ten" in (case.form_schema.get("properties") or {}):
            person = self.organization(person.ward)
        if workload:
            days, weights = self.recent_days, [1.0 + i / 3 for i in range(len(self.recent_days))]
        else:  # the last days belong to the workload group, so the volume per day stays about even
            days = self.working_days[: -len(self.recent_days)] or self.working_days
            weights = [0.8 + 0.4 * i / max(1, len(days) - 1) for i in range(len(days))]
        submitted = self._submission(channel, desk, days, weights)
        return _Slot(procedure, channel, desk, person, submitted, self._fate(procedure=procedure, channel=channel,
                     workload=workload), workload=workload, case=case)  # fmt: skip

    # --- the demo accounts ----------------------------------------------------------------------------------------
    def _account_specs(self, count: int) -> list[tuple[str, str, int | None, int, int, dict[str, Any]]]:
        """(username, procedure, wanted state or None, oldest and newest age in days, fate overrides)."""
        congdan: list[tuple[str, int | None, int, int, dict[str, Any]]] = [
            ("1.001193", State.RETURNED, 145, 125, {}),
            ("2.000815", State.RETURNED, 130, 110, {"channel": Channel.IN_PERSON}),
            ("1.004194", State.RETURNED, 100, 80, {}),
            ("3.000333", State.RETURNED, 70, 55, {"channel": Channel.ONLINE}),
            ("2.000635", State.RETURNED, 50, 40, {"timing": "late"}),
            ("1.004873", State.WITHDRAWN, 60, 50, {"end": "withdraw", "supplements": 0}),
            ("1.004222", State.RETURNED, 120, 100, {"supplements": 1}),
            ("2.000884", State.REFUSED, 140, 120, {"channel": Channel.ONLINE, "before_receipt": "refuse"}),
            ("1.012783", State.PROCESSING, 20, 8, {"supplements": 0, "end": "approve", "timing": "stuck"}),
            ("HP.XD.0001", State.SUPPLEMENT, 12, 4, {"supplements": 1, "end": "approve"}),
            ("1.001612", State.RECEIVED, 4, 0, {"supplements": 0, "end": "approve", "claim": False}),
            ("1.010039", State.SUBMITTED, 2, 0, {"channel": Channel.ONLINE, "before_receipt": "receive"}),
            ("3.000333", State.PROCESSED, 15, 4, {"channel": Channel.IN_PERSON, "collected": False}),
            ("1.002755", State.RETURNED, 45, 35, {}),
            ("1.004859", State.PROCESSING, 25, 12, {"timing": "stuck", "supplements": 0, "end": "approve",
                                                     "justice": False}),
        ]  # fmt: skip
        business: list[tuple[str, int | None, int, int, dict[str, Any]]] = [
            ("2.000815", None, 140, 20, {}),
            ("2.000815", None, 60, 10, {}),
            ("1.011441", None, 120, 30, {}),
            ("1.011441", State.RECEIVED, 5, 0, {"claim": False, "supplements": 0, "end": "approve"}),
            ("1.012783", State.STOPPED, 90, 30, {"end": "stop", "supplements": 0, "before_receipt": "receive"}),
            ("2.001610", None, 40, 10, {}),
        ]  # fmt: skip
        specs = [("congdan", *spec) for spec in congdan] + [("doanhnghiep", *spec) for spec in business]
        return [s for s in specs if s[1] in self.world.cases][: max(0, count)]

    def _forced(self, spec: tuple[str, str, int | None, int, int, dict[str, Any]]) -> DossierBuilder:
        username, procedure, wanted, oldest, newest, overrides = spec
        overrides = dict(overrides)
        wanted_channel = overrides.pop("channel", None)
        builder: DossierBuilder | None = None
        for _ in range(80):  # retell until the story is where it is wanted today
            person = self.account(username)
            desk = self._desk(procedure, workload=False)
            if self.world.level[procedure] == "commune" and person.ward:
                desk = next((a for a in self.world.communes if a.ward_code == person.ward), desk)
            channel, case = self._pick_case(procedure, wanted_channel)
            fate = self._fate(procedure=procedure, channel=channel, workload=wanted is not None and oldest < 30)
            for key, value in overrides.items():
                setattr(fate, key, value)
            submitted = self._submission_between(channel, desk, oldest, newest)
            slot = _Slot(procedure, channel, desk, person, submitted, fate, workload=oldest < 30, case=case)
            builder = self._tell(slot)
            if wanted is None or builder.state == wanted:
                break
        assert builder is not None
        return builder

    # --- telling a story ------------------------------------------------------------------------------------------
    def _tell(self, slot: _Slot) -> DossierBuilder:
        assert slot.case is not None
        data = FormFiller(self, slot).fill(slot.case.form_schema, slot.case.form_ui)
        person, ctx = slot.person, self.ctx
        applicant_user_id = person.user.pk if person.user is not None else None
        if slot.channel == Channel.ONLINE:
            created = slot.submitted_at - timedelta(minutes=self.rng.randint(3, 40))
            builder = ctx.submitted_online(case=slot.case, receiving_agency=slot.desk, applicant=person.applicant(),
                                           submitted_at=slot.submitted_at, by=person.actor(), data=data,
                                           applicant_user_id=applicant_user_id, created_at=created)  # fmt: skip
        else:
            builder = ctx.received_at_desk(case=slot.case, receiving_agency=slot.desk, channel=slot.channel,
                                           applicant=person.applicant(), received_at=slot.submitted_at,
                                           by=self.officer(slot.desk, Role.ONE_STOP), data=data,
                                           applicant_user_id=applicant_user_id)  # fmt: skip
        try:
            if builder.state == State.SUBMITTED:
                self._reception(builder, slot)
            if builder.state == State.RECEIVED:
                self._processing(builder, slot)
        except _Future:
            pass
        return builder

    def _at(self, moment: datetime) -> datetime:
        if moment > self.now:
            raise _Future
        return moment

    def _reception(self, b: DossierBuilder, slot: _Slot) -> None:
        desk, hours, fate, rng = slot.desk, slot.desk.office_hours, slot.fate, self.rng
        applicant = slot.person.actor()
        backlog = rng.uniform(0.1, 6) if rng.random() < 0.85 else rng.uniform(6, 20)
        received = self.later(b.last_at, backlog, hours)
        if fate.before_receipt == "refuse":
            b.refuse(self._at(received), by=self.officer(desk, Role.ONE_STOP), reason=rng.choice(REFUSALS))
            return
        if fate.before_receipt == "withdraw":
            b.withdraw(self._at(self.citizen_later(b.last_at, True, 1, 30, hours)), by=applicant,
                       reason=rng.choice(WITHDRAWALS))  # fmt: skip
            return
        if fate.before_receipt == "complete_first":
            b.request_completion(self._at(received), by=self.officer(desk, Role.ONE_STOP),
                                 missing=self._missing(slot, 1))  # fmt: skip
            b.supplement(self._at(self.citizen_later(b.last_at, True, 3, 72, hours)), by=applicant)
            received = self.later(b.last_at, rng.uniform(0.2, 4), hours)
        b.receive(self._at(received), by=self.officer(desk, Role.ONE_STOP))

    def _budget(self, b: DossierBuilder, hours: OfficeHours) -> tuple[datetime, float]:
        """The due moment (or a stand-in for procedures without one) and the working hours left until it."""
        start = b.last_at
        end = b.due_at or self.later(start, NO_DUE_BUDGET_HOURS, hours)
        left = self.calendar.working_time_between(start, end, hours).total_seconds() / 3600
        return end, left

    def _processing(self, b: DossierBuilder, slot: _Slot) -> None:
        fate, rng, hours = slot.fate, self.rng, slot.desk.office_hours
        applicant = slot.person.actor()
        online = slot.channel == Channel.ONLINE
        end, left = self._budget(b, hours)

        def step(fraction: float) -> datetime:  # a moment this far into the time left (working time)
            return self._at(self.later(b.last_at, max(0.1, left * fraction), hours))

        specialist = self.officer(b.dossier.current_agency, Role.SPECIALIST)
        if fate.claim and specialist.user_id is not None:
            b.claim(step(rng.uniform(0.01, 0.08)), by=specialist)
        justice_first = fate.justice and self.justice is not None and rng.random() < 0.5
        if justice_first and self.justice is not None:  # the Sở appraises, and asks for supplements itself
            specialist = self._to_justice(b, step(rng.uniform(0.05, 0.2)), specialist, fate)
        for round_ in range(fate.supplements):
            b.request_supplement(step(rng.uniform(0.1, 0.4)), by=specialist, missing=self._missing(slot, round_ + 1))
            if fate.end == "unanswered" and round_ == fate.supplements - 1:
                b.stop(self._at(self.later(b.last_at, rng.uniform(60, 120), hours)), by=specialist, reason=UNANSWERED)
                return
            b.supplement(self._at(self.citizen_later(b.last_at, online, 6, 240, hours)), by=applicant)
            end, left = self._budget(b, hours)
        if fate.end == "payment":
            b.request_payment(step(rng.uniform(0.1, 0.4)), by=specialist)
            return
        if fate.end == "withdraw":
            b.withdraw(self._at(self.citizen_later(b.last_at, online, 2, 40, hours)), by=applicant,
                       reason=rng.choice(WITHDRAWALS))  # fmt: skip
            return
        # When the work ends: well inside the time (most), just after it (late) or long after it (stuck, open now).
        if fate.timing == "on_time":
            finish = self.later(b.last_at, max(0.2, left * rng.uniform(0.3, 0.97)), hours)
        else:
            overrun = rng.uniform(1, 40) if fate.timing == "late" else rng.uniform(24, 120)
            finish = self.later(end, overrun, hours)
        start = b.last_at
        span = self.calendar.working_time_between(start, finish, hours).total_seconds() / 3600

        def at(fraction: float) -> datetime:  # a moment this far between now-in-the-story and the finish
            return self._at(max(b.last_at, self.later(start, max(0.05, span * fraction), hours)))

        if fate.justice and not justice_first:
            specialist = self._to_justice(b, at(0.15), specialist, fate)
        if fate.extend and b.due_at is not None and finish > b.due_at:
            asked = max(b.last_at, self.later(start, max(0.05, span * 0.25), hours))
            if asked < b.due_at:
                new_day = max(to_local(finish).date(), self.calendar.next_working_day(to_local(b.due_at).date()))
                if not self.calendar.is_working_day(new_day):
                    new_day = self.calendar.next_working_day(new_day)
                b.extend(self._at(asked), by=self.officer(b.dossier.current_agency, Role.LEADER), new_due_date=new_day,
                         reason=rng.choice(EXTENSIONS))  # fmt: skip
        if fate.end == "stop" and rng.random() < 0.5:
            b.stop(at(0.5), by=specialist, reason=rng.choice(STOPS))
            return
        b.forward(at(0.5), by=specialist)
        leader = self.officer(b.dossier.current_agency, Role.LEADER)
        if fate.send_back:
            b.send_back(at(0.6), by=leader, reason="Đề nghị chuyên viên kiểm tra lại thông tin trên tờ khai.")
            b.forward(at(0.75), by=self.officer(b.dossier.current_agency, Role.SPECIALIST))
        if fate.end == "stop":
            b.stop(self._at(max(finish, b.last_at)), by=leader, reason=rng.choice(STOPS))
            return
        b.approve(self._at(max(finish, b.last_at)), by=leader)
        if not fate.collected:
            return
        if online and slot.case is not None and slot.case.version.online_level == "full":
            returned, channel = self.later(b.last_at, rng.uniform(0, 1), hours), Channel.ONLINE
        elif slot.channel == Channel.POST or (online and rng.random() < 0.25):
            returned, channel = self.later(b.last_at, rng.uniform(2, 16), hours), Channel.POST
        else:
            returned, channel = self.later(b.last_at, rng.uniform(0.5, 40), hours), Channel.IN_PERSON
        b.return_result(self._at(returned), by=self.officer(slot.desk, Role.ONE_STOP), channel=channel)

    def _to_justice(self, b: DossierBuilder, moment: datetime, by: Actor, fate: Fate) -> Actor:
        """Liên thông to Sở Tư pháp for appraisal; returns the Sở's specialist who takes it over."""
        assert self.justice is not None
        b.transfer(moment, by=by, target=self.justice,
                   reason="Đề nghị Sở Tư pháp thẩm định hồ sơ hộ tịch có yếu tố nước ngoài hoặc đăng ký lại.")  # fmt: skip
        specialist = self.officer(self.justice, Role.SPECIALIST)
        if specialist.user_id is not None and fate.claim:
            b.claim(self._at(self.later(b.last_at, self.rng.uniform(0.1, 6), b.hours)), by=specialist)
        return specialist

    def _missing(self, slot: _Slot, count: int) -> list[str]:
        assert slot.case is not None
        field_name = (slot.case.version.field.name.lower() if slot.case.version.field else "") or ""
        pool = next((items for key, items in MISSING.items() if key and key in field_name), MISSING[""])
        return self.rng.sample(list(pool), k=min(len(pool), count))


# --- helpers ---------------------------------------------------------------------------------------------------------
def _case_channels(case: ProcedureCase) -> set[int]:
    """Which channels a case allows, from its name ("nộp trực tuyến", "nộp trực tiếp hoặc qua bưu chính" ...)."""
    name = case.name.lower()
    online, desk, post = "trực tuyến" in name, "trực tiếp" in name, "bưu chính" in name
    if online and not desk:
        return {Channel.ONLINE}
    if desk and not online:
        return {Channel.IN_PERSON, Channel.POST} if post else {Channel.IN_PERSON}
    return {Channel.ONLINE, Channel.IN_PERSON, Channel.POST}


def _case_weight(case: ProcedureCase) -> float:
    name = case.name.lower()
    for hint, weight in (("không đúng hạn", 0.12), ("phải xác minh", 0.15), ("danh sách", 0.12), ("tổ chức", 0.15)):
        if hint in name:
            return weight
    return 1.0


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _ascii(text: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


class FormFiller:
    """Fills a case's declaration (JSON Schema + form_ui) with plausible values that pass ``validate_submission``."""

    def __init__(self, gen: DemoDossiers, slot: _Slot) -> None:
        self.gen, self.slot, self.rng = gen, slot, gen.rng
        self.day = to_local(slot.submitted_at).date()
        person = slot.person
        self.profile: dict[str, Any] = {
            "profile.full_name": person.name, "profile.date_of_birth": person.born.isoformat(),
            "profile.cccd": person.id_number if person.id_number.isdigit() and len(person.id_number) == 12
            else gen.fake_id(), "profile.address_line": person.line, "profile.ward_code": person.ward,
            "profile.phone": person.phone, "profile.email": person.email or None,
            "profile.organization_name": person.organization or None, "profile.tax_code": person.tax_code or None,
        }  # fmt: skip

    def fill(self, schema: dict[str, Any], ui: dict[str, Any]) -> dict[str, Any]:
        properties: dict[str, Any] = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        hints: dict[str, Any] = (ui or {}).get("fields") or {}
        order = [n for n in (ui or {}).get("order") or [] if n in properties] or list(properties)
        result: dict[str, Any] = {}
        for name in order:
            if name not in required and self.rng.random() < 0.5:
                continue
            value = self.value(name, properties[name], hints.get(name) or {})
            if value is not None:
                result[name] = value
        return result

    def value(self, name: str, schema: dict[str, Any], hint: dict[str, Any]) -> Any:
        rng = self.rng
        prefill = hint.get("prefill")
        if isinstance(prefill, str) and prefill in self.profile:
            return self.profile[prefill]
        kind = schema.get("type")
        if kind == "array":
            items = schema.get("items") or {}
            n = max(int(schema.get("minItems", 0)), rng.randint(1, 2))
            return [self.fill(items, hint.get("item") or {}) for _ in range(n)]
        if kind == "object":
            return {"ward_code": self.slot.person.ward, "line": self.gen.address_line(self.slot.person.ward)}
        if "enum" in schema:
            return rng.choice(schema["enum"])
        if kind == "boolean":
            return True
        codelist = hint.get("codelist")
        if isinstance(codelist, str):
            return self.coded(name, codelist)
        widget = hint.get("widget")
        if widget == "date" or schema.get("format") == "date":
            return self.date(name).isoformat()
        if widget == "cccd":
            return self.gen.fake_id()
        if widget == "phone":
            return self.gen.fake_phone()
        if widget == "email":
            return None
        if kind == "integer":
            return self.number(name, schema)
        text = self.text(name, schema)
        return text[: int(schema.get("maxLength", 255))]

    def coded(self, name: str, codelist: str) -> Any:
        rng = self.rng
        if codelist == "ward":
            return self.slot.person.ward
        if codelist == "gender":
            prefix = name.split("_")[0]
            return {"cha": "nam", "chong": "nam", "me": "nu", "vo": "nu"}.get(prefix) or rng.choice(("nam", "nu"))
        if codelist == "ethnicity":
            return "01" if rng.random() < 0.95 else rng.choice([v for v, _ in codelist_choices("ethnicity")])
        if codelist == "nationality":
            foreign = self.slot.procedure in ("2.000528", "2.000806") and name.startswith(("chong", "cha"))
            return rng.choice(("KR", "JP", "CN", "US", "FR", "AU")) if foreign else "VN"
        choices = [v for v, _ in codelist_choices(codelist)]
        return rng.choice(choices) if choices else None

    def date(self, name: str) -> date:
        rng, day = self.rng, self.day
        if name.startswith("tre_") or name == "nguoi_duoc_khai_sinh_ngay_sinh":
            late = self.slot.case is not None and "không đúng hạn" in self.slot.case.name.lower()
            return day - timedelta(days=rng.randint(70, 3000) if late else rng.randint(3, 55))
        if name in ("ngay_chet",):
            return day - timedelta(days=rng.randint(1, 25))
        if name.endswith("den_ngay") or name in ("tu_ngay", "ngay_cham_dut"):
            return day + timedelta(days=rng.randint(5, 700 if "tam_tru" in name else 60))
        if name.endswith("ngay_sinh"):
            oldest = 1925 if name.startswith(("nguoi_chet", "doi_tuong")) else 1955
            return date(rng.randint(oldest, 2004), rng.randint(1, 12), rng.randint(1, 28))
        return day - timedelta(days=rng.randint(30, 4000))

    def number(self, name: str, schema: dict[str, Any]) -> int:
        rng = self.rng
        low, high = int(schema.get("minimum", 0)), schema.get("maximum")
        guesses: dict[str, Callable[[], int]] = {
            "von": lambda: rng.choice((50, 100, 200, 300, 500, 1000, 2000)) * 1_000_000,
            "dien_tich": lambda: rng.randint(40, 300),
            "tong_dien_tich_san": lambda: rng.randint(80, 600),
            "so_tang": lambda: rng.randint(1, 5),
            "chieu_cao": lambda: rng.randint(4, 20),
            "so_lao_dong": lambda: rng.randint(1, 12),
            "tu_nam": lambda: rng.randint(1995, 2015),
            "den_nam": lambda: rng.randint(2016, 2026),
            "so_trang": lambda: rng.randint(1, 12),
        }  # fmt: skip
        value = next((guess() for key, guess in guesses.items() if key in name), rng.randint(low, low + 2))
        value = max(low, value)
        return min(int(high), value) if high is not None else value

    def text(self, name: str, schema: dict[str, Any]) -> str:
        rng, gen, slot = self.rng, self.gen, self.slot
        if name.endswith("ho_ten") or name.startswith("ho_ten") or name == "nguoi_to_chuc_mai_tang":
            who = name.removeprefix("ho_ten_")
            sex = "nam" if who.startswith(("cha", "chong")) else "nu" if who.startswith(("me", "vo")) else None
            return gen.name(sex or rng.choice(("nam", "nu")))
        if "ma_so_thue" in name:
            return f"{FAKE_TAX_PREFIX}{rng.randrange(10**8):08d}"
        texts: dict[str, Callable[[], str]] = {
            "noi_sinh": lambda: rng.choice(HOSPITALS),
            "que_quan": lambda: rng.choice(("Hải Phòng", "Hưng Yên", "Quảng Ninh", "Ninh Bình", "Bắc Ninh")),
            "noi_cu_tru": lambda: slot.person.address,
            "noi_chet": lambda: slot.person.address,
            "noi_dang_ky": lambda: f"Ủy ban nhân dân {_lower_first(ward_name(slot.person.ward))}",
            "ten_ho_kinh_doanh": lambda: f"Hộ kinh doanh {rng.choice(SHOP_WORDS)}",
            "ten_doanh_nghiep": lambda: f"Doanh nghiệp tư nhân {rng.choice(SHOP_WORDS)}",
            "nganh_nghe": lambda: rng.choice(TRADES),
            "ho_chieu": lambda: f"M{rng.randrange(10**7):07d}",
            "muc_dich": lambda: rng.choice(PURPOSES),
            "ten_giay_to": lambda: rng.choice(DOCUMENTS),
            "giay_to_can_sua": lambda: f"Giấy khai sinh số {rng.randint(10, 300)}, quyển số 01/{rng.randint(1990, 2020)}",
            "thua_dat_so": lambda: str(rng.randint(1, 900)),
            "to_ban_do_so": lambda: str(rng.randint(1, 60)),
            "so_giay_chung_nhan": lambda: f"C{rng.choice('ĐSKH')} {rng.randint(100000, 999999)}",
            "so_vao_so": lambda: f"CS{rng.randint(10000, 99999)}",
            "giay_bao_tu_so": lambda: f"{rng.randint(1, 900)}/GBT",
            "gio_chet": lambda: f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
            "hop_dong_so": lambda: f"{rng.randint(1, 999)}/{self.day.year}/HĐTC",
            "so_tai_khoan": lambda: f"{rng.randrange(10**9):09d} - Ngân hàng TMCP",
            "dien_doi_tuong": lambda: "Người cao tuổi từ đủ 80 tuổi trở lên không có lương hưu",
            "ly_do": lambda: "Đề nghị giải quyết theo quy định; thông tin kê khai là đúng sự thật.",
            "noi_dung": lambda: "Đề nghị cơ quan xem xét, giải quyết theo quy định.",
        }  # fmt: skip
        found = next((make for key, make in texts.items() if key in name), None)
        if found is not None:
            return found()
        return "Theo giấy tờ kèm theo"
