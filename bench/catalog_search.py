"""``GET /api/v1/procedures?q=dang+ky+khai+sinh``: a citizen's catalog search over 5,000 published procedures.

The seeder builds a catalog the size of a province's (the national catalog lists a few thousand procedures) from
real procedure-name fragments, so a query matches about as many rows as in life (a few dozen for "đăng ký khai
sinh"). ``bench/catalog_detail.py`` measures the plain lookup of one procedure by code on the same data.
"""

from __future__ import annotations

import random
from datetime import time

from bench import Benchmark

PROCEDURES = 5_000
SEED = 20250701

# (code, name, field code, level): real procedures from the reference data, with their national codes.
REAL = [
    ("1.001193", "Thủ tục đăng ký khai sinh", "HT", "commune"),
    ("1.000894", "Thủ tục đăng ký kết hôn", "HT", "commune"),
    ("1.000656", "Thủ tục đăng ký khai tử", "HT", "commune"),
    ("1.001022", "Thủ tục đăng ký nhận cha, mẹ, con", "HT", "commune"),
    ("1.000689", "Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con", "HT", "commune"),
    ("2.000635", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh", "HT", "commune"),
    ("1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "HT", "commune"),
    ("1.004884", "Thủ tục đăng ký lại khai sinh", "HT", "commune"),
    ("1.004772", "Thủ tục đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân", "HT", "commune"),
    ("2.000528", "Thủ tục đăng ký khai sinh có yếu tố nước ngoài", "HT", "commune"),
    ("1.004222", "Đăng ký thường trú", "CT", "commune"),
    ("1.004194", "Đăng ký tạm trú", "CT", "commune"),
    ("1.001612", "Đăng ký thành lập hộ kinh doanh", "HKD", "commune"),
    ("3.000333", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", "LLTP", "province"),
    ("2.001610", "Đăng ký thành lập doanh nghiệp tư nhân", "DN", "province"),
]  # fmt: skip
FIELDS = {
    "HT": "Hộ tịch", "CTH": "Chứng thực", "CT": "Đăng ký, quản lý cư trú", "HKD": "Hộ kinh doanh",
    "BTXH": "Bảo trợ xã hội", "DD": "Đất đai", "LLTP": "Lý lịch tư pháp", "DB": "Đường bộ", "XD": "Xây dựng",
    "YT": "Khám bệnh, chữa bệnh", "GD": "Giáo dục và Đào tạo", "LD": "Việc làm", "ATTP": "An toàn thực phẩm",
    "TNN": "Tài nguyên nước", "DT": "Đầu tư", "VH": "Văn hóa", "DN": "Thành lập và hoạt động doanh nghiệp",
}  # fmt: skip
ACTIONS = [
    "Đăng ký", "Đăng ký lại", "Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Thay đổi nội dung",
    "Xác nhận", "Công nhận", "Thu hồi", "Chấm dứt", "Hỗ trợ", "Thẩm định", "Phê duyệt", "Chứng thực",
    "Giải quyết", "Trích lục",
]  # fmt: skip
OBJECTS = [
    ("khai sinh", "HT"), ("kết hôn", "HT"), ("khai tử", "HT"), ("giám hộ", "HT"), ("nhận cha, mẹ, con", "HT"),
    ("thay đổi, cải chính hộ tịch", "HT"), ("Giấy xác nhận tình trạng hôn nhân", "HT"), ("thường trú", "CT"),
    ("tạm trú", "CT"), ("hộ kinh doanh", "HKD"), ("bản sao từ bản chính", "CTH"), ("chữ ký", "CTH"),
    ("hợp đồng, giao dịch", "CTH"), ("trợ cấp xã hội hàng tháng", "BTXH"), ("chi phí mai táng", "BTXH"),
    ("Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "DD"),
    ("biện pháp bảo đảm bằng quyền sử dụng đất", "DD"), ("hồ sơ thuê đất", "DD"), ("Phiếu lý lịch tư pháp", "LLTP"),
    ("giấy phép lái xe", "DB"), ("Giấy phép kinh doanh vận tải bằng xe ô tô", "DB"), ("Giấy phép xây dựng", "XD"),
    ("chứng chỉ hành nghề hoạt động xây dựng", "XD"), ("Giấy phép hoạt động khám bệnh, chữa bệnh", "YT"),
    ("chứng chỉ hành nghề khám bệnh, chữa bệnh", "YT"), ("hoạt động trường mầm non tư thục", "GD"),
    ("Giấy phép lao động cho người nước ngoài", "LD"), ("trợ cấp thất nghiệp", "LD"),
    ("Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "ATTP"), ("Giấy phép khai thác nước dưới đất", "TNN"),
    ("chủ trương đầu tư dự án", "DT"), ("Giấy phép tổ chức lễ hội", "VH"), ("doanh nghiệp tư nhân", "DN"),
]  # fmt: skip
QUALIFIERS = [
    "", "", "", "có yếu tố nước ngoài", "cho người đã có hồ sơ, giấy tờ cá nhân", "đối với hộ gia đình, cá nhân",
    "trong trường hợp bị mất, hư hỏng", "lần đầu", "kết hợp đăng ký nhận cha, mẹ, con", "cho tổ chức",
    "đối với công trình cấp III, cấp IV", "cho người Việt Nam định cư ở nước ngoài", "do thay đổi thông tin",
]  # fmt: skip
ONLINE_LEVELS = ["full", "full", "partial", "partial", "partial", "info"]
FEES = [0, 8_000, 10_000, 20_000, 50_000, 100_000, 150_000, 1_250_000]


def _name(rng: random.Random) -> tuple[str, str]:
    action, (thing, field) = rng.choice(ACTIONS), rng.choice(OBJECTS)
    name = " ".join(part for part in (action, thing, rng.choice(QUALIFIERS)) if part)
    return ("Thủ tục " + name[0].lower() + name[1:] if rng.random() < 0.3 else name), field


def seed() -> None:
    """5,000 published procedures (15 real, the rest with local codes), each with 1-3 cases, fees and documents."""
    from django.db import connection, transaction
    from django.utils import timezone

    from chinhquyenso.catalog.models import (
        DocumentComponent,
        Fee,
        Field,
        Procedure,
        ProcedureCase,
        ProcedureVersion,
    )
    from chinhquyenso.catalog.services import version_search_text

    if Procedure.objects.filter(code=REAL[0][0]).exists():  # seeded already (for catalog-detail in the same run)
        return
    rng, now = random.Random(SEED), timezone.now()
    with transaction.atomic():
        fields = {f.code: f for f in Field.objects.bulk_create(Field(code=c, name=n) for c, n in FIELDS.items())}
        rows = [(code, name, field, level, False) for code, name, field, level in REAL]
        for number in range(1, PROCEDURES - len(REAL) + 1):
            name, field = _name(rng)
            rows.append((f"BENCH.{number:06d}", name, field, rng.choice(["commune", "commune", "province"]), True))
        procedures = Procedure.objects.bulk_create(
            [Procedure(code=code, is_local_code=local) for code, _, _, _, local in rows], batch_size=1000
        )
        versions = []
        for procedure, (_, name, field, level, _) in zip(procedures, rows, strict=True):
            version = ProcedureVersion(
                procedure=procedure, number=1, status=ProcedureVersion.Status.PUBLISHED, name=name,
                field=fields[field], level=level, online_level=rng.choice(ONLINE_LEVELS), published_at=now,
                competent_authority="Ủy ban nhân dân cấp xã" if level == "commune" else "Sở Tư pháp",
                result_type="Giấy chứng nhận", legal_basis="Nghị định 118/2025/NĐ-CP",
            )  # fmt: skip
            version.search_text = version_search_text(version=version)
            versions.append(version)
        ProcedureVersion.objects.bulk_create(versions, batch_size=1000)
        for procedure, version in zip(procedures, versions, strict=True):
            procedure.current_version = version
        Procedure.objects.bulk_update(procedures, ["current_version"], batch_size=1000)
        cases = []
        for version in versions:
            for n in range(1, rng.choice([1, 1, 1, 2, 3]) + 1):
                case = ProcedureCase(
                    version=version, code=f"{n:02d}", name=f"{version.name} (trường hợp {n})", order=n,
                    processing_value=rng.choice([1, 3, 5, 7, 10, 15, 20]),
                    cutoff=time(15, 0) if rng.random() < 0.2 else None,
                    form_schema={"type": "object", "properties": {"ho_ten": {"type": "string"}}},
                )  # fmt: skip
                cases.append(case)
        ProcedureCase.objects.bulk_create(cases, batch_size=1000)
        Fee.objects.bulk_create(
            (Fee(case=case, name="Lệ phí", amount=rng.choice(FEES)) for case in cases if rng.random() < 0.6),
            batch_size=1000,
        )
        DocumentComponent.objects.bulk_create(
            (
                DocumentComponent(case=case, code=f"tp-{n}", name=f"Giấy tờ số {n}", order=n)
                for case in cases
                for n in range(1, rng.choice([2, 3, 4, 5]) + 1)
            ),
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a catalog that has been live a while


# What one request runs, captured with Django's test client (bench/prepare.py) on PostgreSQL with this seed: the
# count for "Tìm thấy N thủ tục", the first page of 20 ordered by rank then trigram similarity of the name, and the
# cases of that page in one prefetch query (the ids are those the deterministic seed gives in a fresh database).
SQL = """\
-- Django's connection health check (CONN_HEALTH_CHECKS) before the request's first query
SELECT 1;
SELECT COUNT(*) AS "__count" FROM "catalog_procedureversion"
 INNER JOIN "catalog_procedure" ON ("catalog_procedureversion"."procedure_id" = "catalog_procedure"."id")
 WHERE ("catalog_procedure"."current_version_id" = ("catalog_procedureversion"."id")
   AND "catalog_procedure"."status" = 'active' AND "catalog_procedureversion"."status" = 'published'
   AND "catalog_procedureversion"."search_text"::text LIKE '%dang%'
   AND "catalog_procedureversion"."search_text"::text LIKE '%ky%'
   AND "catalog_procedureversion"."search_text"::text LIKE '%khai%'
   AND "catalog_procedureversion"."search_text"::text LIKE '%sinh%');
SELECT "catalog_procedureversion"."id", "catalog_procedureversion"."procedure_id", "catalog_procedureversion"."number",
       "catalog_procedureversion"."status", "catalog_procedureversion"."name", "catalog_procedureversion"."field_id",
       "catalog_procedureversion"."level", "catalog_procedureversion"."competent_authority",
       "catalog_procedureversion"."for_citizens", "catalog_procedureversion"."for_businesses",
       "catalog_procedureversion"."legal_basis", "catalog_procedureversion"."result_type",
       "catalog_procedureversion"."online_level", "catalog_procedureversion"."description",
       "catalog_procedureversion"."source", "catalog_procedureversion"."search_text",
       "catalog_procedureversion"."created_at", "catalog_procedureversion"."published_at",
       CASE WHEN UPPER("catalog_procedure"."code"::text) = UPPER('dang ky khai sinh') THEN 0
            WHEN UPPER("catalog_procedure"."code"::text) LIKE UPPER('dang ky khai sinh%') THEN 1
            WHEN "catalog_procedureversion"."search_text"::text LIKE '%dang ky khai sinh%' THEN 2 ELSE 3 END AS "rank",
       similarity(cqs_normalize("catalog_procedureversion"."name"), 'dang ky khai sinh') AS "similarity",
       "catalog_procedure"."id", "catalog_procedure"."code", "catalog_procedure"."is_local_code",
       "catalog_procedure"."status", "catalog_procedure"."current_version_id", "catalog_procedure"."created_at",
       "catalog_field"."id", "catalog_field"."code", "catalog_field"."name"
  FROM "catalog_procedureversion"
 INNER JOIN "catalog_procedure" ON ("catalog_procedureversion"."procedure_id" = "catalog_procedure"."id")
  LEFT OUTER JOIN "catalog_field" ON ("catalog_procedureversion"."field_id" = "catalog_field"."id")
 WHERE ("catalog_procedure"."current_version_id" = ("catalog_procedureversion"."id")
   AND "catalog_procedure"."status" = 'active' AND "catalog_procedureversion"."status" = 'published'
   AND "catalog_procedureversion"."search_text"::text LIKE '%dang%'
   AND "catalog_procedureversion"."search_text"::text LIKE '%ky%'
   AND "catalog_procedureversion"."search_text"::text LIKE '%khai%'
   AND "catalog_procedureversion"."search_text"::text LIKE '%sinh%')
 ORDER BY 19 ASC, 20 DESC, "catalog_procedure"."code" ASC
 LIMIT 20;
SELECT "catalog_procedurecase"."id", "catalog_procedurecase"."version_id", "catalog_procedurecase"."code",
       "catalog_procedurecase"."name", "catalog_procedurecase"."order", "catalog_procedurecase"."processing_value",
       "catalog_procedurecase"."processing_unit", "catalog_procedurecase"."online_processing_value",
       "catalog_procedurecase"."cutoff", "catalog_procedurecase"."form_schema", "catalog_procedurecase"."form_ui"
  FROM "catalog_procedurecase"
 WHERE "catalog_procedurecase"."version_id" IN (2287, 1, 3699, 4473, 10, 5, 4795, 9, 3644, 955, 751, 8, 1943, 1993,
                                                608, 728, 2222, 4641, 454, 2237)
 ORDER BY "catalog_procedurecase"."order" ASC, "catalog_procedurecase"."code" ASC;
"""

BENCHMARK = Benchmark(
    name="catalog-search",
    path="/api/v1/procedures?q=dang+ky+khai+sinh",
    sql=SQL,
    seed=seed,
    description="public catalog search, JSON API, over 5,000 published procedures (33 match): every word must "
    "occur in the normalised search text, ordered by rank then trigram similarity of the name; the count, the page "
    "of 20 and its cases, 3 queries plus the health check. pgbench runs the same statements.",
)
