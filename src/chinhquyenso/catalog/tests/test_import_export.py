"""Catalog import/export (docs/catalog-import-format.md) and the demo catalog (docs/adr/0007-catalog.md)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator
from openpyxl import Workbook

from chinhquyenso.agencies.tests.factories import AgencyFactory
from chinhquyenso.catalog.exporter import export_catalog
from chinhquyenso.catalog.importer import (
    COLUMNS,
    CatalogImportError,
    import_catalog,
    parse_catalog,
)
from chinhquyenso.catalog.models import (
    ApplicantCategory,
    DocumentType,
    Fee,
    OnlineLevel,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
)
from chinhquyenso.catalog.schema import check_form_schema
from chinhquyenso.catalog.tests.factories import (
    DocumentComponentFactory,
    FeeFactory,
    ProcedureCaseFactory,
    ProcedureFactory,
)
from chinhquyenso.demo.catalog import CATALOG_CSV, load_demo_catalog

pytestmark = pytest.mark.django_db

SCHEMA = '{"type":"object","properties":{"ho_ten":{"type":"string"}},"required":["ho_ten"]}'
UI = '{"order":["ho_ten"],"fields":{"ho_ten":{"label":"Họ và tên","prefill":"profile.full_name"}}}'


def row(**values: str) -> dict[str, str]:
    base = {
        "ma_thu_tuc": "1.001193",
        "ma_noi_bo": "không",
        "ten_thu_tuc": "Thủ tục đăng ký khai sinh",
        "ma_linh_vuc": "G15-TP07",
        "ten_linh_vuc": "Hộ tịch",
        "cap_thuc_hien": "xã",
        "doi_tuong": "công dân",
        "muc_do": "toàn trình",
        "ma_truong_hop": "01",
        "ten_truong_hop": "Đăng ký khai sinh đúng hạn",
        "thoi_han": "1",
        "don_vi_thoi_han": "ngày làm việc",
        "gio_chot": "15:00",
        "phi_le_phi": "Lệ phí đăng ký khai sinh=8.000/lần",
        "mien_giam": "ho_ngheo; nguoi_co_cong",
        "thanh_phan_ho_so": "Tờ khai đăng ký khai sinh~bản chính~1~có | Giấy chứng sinh~bản chính~1~có~giay_chung_sinh",
        "bieu_mau": SCHEMA,
        "hien_thi": UI,
    }
    base.update(values)
    return base


def write_csv(path: Path, rows: list[dict[str, str]], *, bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def demo_agencies() -> None:
    """The province units the demo CSV names by code (the demo loader creates them in a real demo)."""
    with CATALOG_CSV.open(encoding="utf-8-sig") as stream:
        codes = {
            code.strip()
            for line in csv.DictReader(stream)
            for column in ("ma_co_quan", "ma_noi_tiep_nhan")
            for code in line[column].split(";")
            if code.strip()
        }
    for code in sorted(codes):
        AgencyFactory(code=code)


def test_demo_catalog_imports_published_procedures_with_valid_forms() -> None:
    demo_agencies()
    assert load_demo_catalog() == 40
    procedures = list(Procedure.objects.select_related("current_version"))
    versions = [p.current_version for p in procedures]
    cases = list(ProcedureCase.objects.filter(version__status=ProcedureVersion.Status.PUBLISHED))
    assert len(procedures) >= 30
    assert sum(v.online_level == OnlineLevel.FULL for v in versions) >= 10
    assert {v.status for v in versions} == {ProcedureVersion.Status.PUBLISHED}
    assert [p.code for p in procedures if p.is_local_code] == ["HP.XD.0001"]
    assert all(p.code.startswith("HP.") for p in procedures if p.is_local_code)
    for case in cases:
        check_form_schema(case.form_schema, case.form_ui)
        Draft202012Validator(case.form_schema)  # usable as a validator, not just well-formed
    birth = Procedure.objects.get(code="1.001193").current_version
    late = birth.cases.get(code="02")
    assert late.cutoff.strftime("%H:%M") == "15:00"
    assert [(f.name, f.amount) for f in late.fees.all()] == [("Lệ phí đăng ký khai sinh", 8000)]
    assert sorted(late.fees.get().exemptions.values_list("code", flat=True)) == [
        "gia_dinh_co_cong",
        "ho_ngheo",
        "khuyet_tat",
    ]
    assert ApplicantCategory.objects.get(code="ho_ngheo").name == "Hộ nghèo"
    assert DocumentType.objects.get(code="giay_chung_sinh").name == "Giấy chứng sinh"
    assert Procedure.objects.get(code="3.000333").current_version.competent_agencies.get().code == "000.00.16.H26"


def test_demo_catalog_reimport_changes_nothing() -> None:
    demo_agencies()
    load_demo_catalog()
    version_ids = set(ProcedureVersion.objects.values_list("id", flat=True))
    assert load_demo_catalog() == 0
    assert set(ProcedureVersion.objects.values_list("id", flat=True)) == version_ids


def test_one_bad_row_among_good_ones_imports_nothing(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "danh-muc.csv",
        [
            row(),
            row(ma_thu_tuc="1.000894", ten_thu_tuc="Thủ tục đăng ký kết hôn", muc_do="toàn phần"),
            row(ma_thu_tuc="1.000656", ten_thu_tuc="Thủ tục đăng ký khai tử"),
        ],
    )
    with pytest.raises(CatalogImportError) as caught:
        import_catalog(path)
    assert caught.value.problems == [
        "dòng 3, cột muc_do: giá trị «toàn phần» không hợp lệ; dùng «toàn trình», «một phần» hoặc «thông tin»."
    ]
    assert Procedure.objects.count() == 0


def test_every_bad_row_is_reported(tmp_path: Path) -> None:
    AgencyFactory(code="000.00.04.H26")
    path = write_csv(
        tmp_path / "danh-muc.csv",
        [
            row(ma_co_quan="000.00.04.H26; 000.00.99.H26"),
            row(ma_truong_hop="01"),
            row(ma_thu_tuc="1.1193", ma_truong_hop="03"),
            row(ma_thu_tuc="XX.0001", ma_truong_hop="04"),
            row(ma_thu_tuc="HP.XD.0001", ma_truong_hop="05"),
            row(ma_thu_tuc="1.000894", thoi_han="năm", gio_chot="25:00", cap_thuc_hien="huyện"),
            row(ma_thu_tuc="1.000656", phi_le_phi="Lệ phí=8,5", bieu_mau='{"type":"array"}'),
            row(ma_thu_tuc="1.004873", thanh_phan_ho_so="Tờ khai~bản photo", bieu_mau="khong_co_mau"),
            row(ma_thu_tuc="1.004884", hien_thi='{"order":["ten"]}', don_vi_thoi_han="tuần"),
        ],
    )
    with pytest.raises(CatalogImportError) as caught:
        import_catalog(path)
    assert caught.value.problems == [
        "dòng 2, cột ma_co_quan: không có cơ quan mã «000.00.99.H26» trong danh mục cơ quan, đơn vị.",
        "dòng 3, cột ma_truong_hop: trường hợp «01» của thủ tục 1.001193 trùng với dòng 2.",
        "dòng 4, cột ma_thu_tuc: mã «1.1193» không đúng dạng mã quốc gia (ví dụ 1.001193) hay mã nội bộ "
        "(bắt đầu bằng «HP.»).",
        "dòng 5, cột ma_thu_tuc: mã «XX.0001» không đúng dạng mã quốc gia (ví dụ 1.001193) hay mã nội bộ "
        "(bắt đầu bằng «HP.»).",
        "dòng 6, cột ma_noi_bo: mã «HP.XD.0001» là mã nội bộ của tỉnh: ghi «có».",
        "dòng 7, cột cap_thuc_hien: giá trị «huyện» không hợp lệ; dùng «tỉnh» hoặc «xã».",
        "dòng 7, cột thoi_han: «năm» không phải số nguyên từ 0 đến 3650.",
        "dòng 7, cột gio_chot: «25:00» không phải giờ dạng HH:MM (ví dụ 15:00).",
        "dòng 8, cột phi_le_phi: số tiền «8,5» của khoản «Lệ phí» không hợp lệ (số nguyên đồng, ví dụ 8000 "
        "hoặc 8.000).",
        "dòng 8, cột mien_giam: có đối tượng miễn, giảm nhưng trường hợp không có khoản phí, lệ phí nào.",
        'dòng 8, cột bieu_mau: biểu mẫu không hợp lệ tại /type: Biểu mẫu phải có "type": "object".',
        "dòng 9, cột thanh_phan_ho_so: hình thức «bản photo» của «Tờ khai» không hợp lệ; dùng bản chính, bản sao, "
        "bản sao có chứng thực, xuất trình hoặc bản điện tử.",
        "dòng 9, cột bieu_mau: không có biểu mẫu «khong_co_mau» trong thư viện biểu mẫu; ghi JSON hoặc một tên có sẵn.",
        "dòng 10, cột don_vi_thoi_han: giá trị «tuần» không hợp lệ; dùng «ngày làm việc», «giờ làm việc» hoặc «ngày».",
        "dòng 10, cột hien_thi: phần hiển thị không hợp lệ tại /order/0: Trường «ten» không có trong biểu mẫu.",
    ]
    assert Procedure.objects.count() == 0


def test_schema_error_names_the_json_pointer(tmp_path: Path) -> None:
    bad = '{"type":"object","properties":{"ngay_sinh":{"type":"date"}}}'
    path = write_csv(tmp_path / "danh-muc.csv", [row(bieu_mau=bad, hien_thi="")])
    with pytest.raises(CatalogImportError) as caught:
        import_catalog(path)
    assert caught.value.problems[0].startswith(
        "dòng 2, cột bieu_mau: biểu mẫu không hợp lệ tại /properties/ngay_sinh/type: JSON Schema không hợp lệ:"
    )


def test_changed_content_creates_version_two_and_keeps_version_one(tmp_path: Path) -> None:
    import_catalog(write_csv(tmp_path / "v1.csv", [row()]))
    result = import_catalog(
        write_csv(tmp_path / "v2.csv", [row(phi_le_phi="Lệ phí đăng ký khai sinh=10.000/lần"), row(ma_truong_hop="02")])
    )
    assert (result.created, result.updated, result.unchanged) == ([], ["1.001193"], [])
    procedure = Procedure.objects.get(code="1.001193")
    first, second = procedure.versions.order_by("number")
    assert (first.number, first.status) == (1, ProcedureVersion.Status.SUPERSEDED)
    assert (second.number, second.status) == (2, ProcedureVersion.Status.PUBLISHED)
    assert procedure.current_version == second
    assert first.cases.get().fees.get().amount == 8000
    assert [c.code for c in second.cases.all()] == ["01", "02"]
    assert second.cases.get(code="01").fees.get().amount == 10000


def test_draft_option_leaves_the_new_version_unpublished(tmp_path: Path) -> None:
    import_catalog(write_csv(tmp_path / "v1.csv", [row()]))
    result = import_catalog(write_csv(tmp_path / "v2.csv", [row(ten_truong_hop="Khai sinh đúng hạn")]), draft=True)
    procedure = Procedure.objects.get(code="1.001193")
    assert result.summary() == "tạo mới 0, cập nhật 1, không đổi 0 (phiên bản mới để ở dạng nháp, chưa công bố)"
    assert procedure.current_version.number == 1
    assert procedure.versions.get(number=2).status == ProcedureVersion.Status.DRAFT


def test_xlsx_import(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    values = row(thoi_han="1")
    sheet.append([int(values[c]) if c == "thoi_han" else values.get(c, "") for c in COLUMNS])
    path = tmp_path / "danh-muc.xlsx"
    workbook.save(path)
    result = import_catalog(path)
    case = Procedure.objects.get(code="1.001193").current_version.cases.get()
    assert result.created == ["1.001193"]
    assert (case.processing_value, str(case.cutoff), case.fees.get().amount) == (1, "15:00:00", 8000)
    assert [c.reusable_type.code if c.reusable_type else "" for c in case.components.all()] == ["", "giay_chung_sinh"]


def test_csv_with_bom_and_vietnamese_headers(tmp_path: Path) -> None:
    path = tmp_path / "danh-muc.csv"
    lines = [["Mã thủ tục", "Tên thủ tục", "Cấp thực hiện", "Mức độ", "Mã trường hợp", "Tên trường hợp", "Biểu mẫu"]]
    lines.append(["1.001193", "Thủ tục đăng ký khai sinh", "Cấp xã", "Toàn trình", "01", "Khai sinh", "to_khai_chung"])
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(lines)
    import_catalog(path)
    version = Procedure.objects.get(code="1.001193").current_version
    assert (version.level, version.online_level, version.for_citizens) == ("commune", "full", True)


def test_export_then_import_round_trip(tmp_path: Path) -> None:
    demo_agencies()
    load_demo_catalog()
    demo = sorted(parse_catalog(CATALOG_CSV).procedures, key=lambda data: data.code)  # the export is ordered by code
    exported = tmp_path / "xuat.csv"
    assert export_catalog(exported) == 40
    assert parse_catalog(exported).procedures == demo
    result = import_catalog(exported)
    assert (len(result.created), len(result.updated), len(result.unchanged)) == (0, 0, 40)
    workbook = tmp_path / "xuat.xlsx"
    export_catalog(workbook)
    assert parse_catalog(workbook).procedures == demo


def test_export_of_factory_built_content_round_trips(tmp_path: Path) -> None:
    procedure = ProcedureFactory()
    case = procedure.current_version.cases.get()
    FeeFactory(case=case, kind=Fee.Kind.CHARGE, name="Khoản thu đặc biệt", amount=1_250_000, variable=True, note="x")
    DocumentComponentFactory(case=case, code="ma-rieng", name="Giấy tờ A")
    ProcedureCaseFactory(version=procedure.current_version)
    path = tmp_path / "xuat.csv"
    export_catalog(path)
    text = path.read_text(encoding="utf-8-sig")
    assert "phí: Khoản thu đặc biệt=1.250.000/lần! # x" in text
    assert "Giấy tờ A~bản chính~1~có~~ma-rieng" in text
    assert import_catalog(path).unchanged == [procedure.code]


def test_command_prints_counts(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "danh-muc.csv", [row(), row(ma_thu_tuc="1.000894", ten_thu_tuc="Đăng ký kết hôn")])
    out = io.StringIO()
    call_command("import_catalog", str(path), stdout=out)
    assert out.getvalue() == "Đã nhập danh mục: tạo mới 2, cập nhật 0, không đổi 0.\n"
    out = io.StringIO()
    call_command("import_catalog", str(path), "--quiet", stdout=out)
    assert out.getvalue() == "Đã nhập danh mục: tạo mới 0, cập nhật 0, không đổi 2.\n"


def test_command_reports_problems_and_fails(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "danh-muc.csv", [row(ten_thu_tuc=""), row(ten_thu_tuc="", ma_truong_hop="02", thoi_han="-1")]
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_catalog", str(path))
    assert str(caught.value) == (
        "Không nhập được danh mục: tệp có 2 lỗi; không thủ tục nào được ghi.\n"
        "  dòng 2, cột ten_thu_tuc: không được để trống.\n"
        "  dòng 3, cột thoi_han: «-1» không phải số nguyên từ 0 đến 3650."
    )


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "danh-muc.txt"
    path.write_text("ma_thu_tuc\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_catalog", str(path))
    assert "Không hỗ trợ định dạng tệp «.txt»: chỉ nhận tệp .csv (UTF-8) hoặc .xlsx (Excel)." in str(caught.value)


def test_export_command_writes_csv_to_stdout(tmp_path: Path) -> None:
    import_catalog(write_csv(tmp_path / "danh-muc.csv", [row()]))
    out = io.StringIO()
    call_command("export_catalog", "-", stdout=out)
    lines = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["ma_thu_tuc"], r["phi_le_phi"], r["mien_giam"]) for r in lines] == [
        ("1.001193", "Lệ phí đăng ký khai sinh=8.000/lần", "ho_ngheo; nguoi_co_cong")
    ]


def test_the_documented_example_imports(tmp_path: Path) -> None:
    AgencyFactory(code="000.00.16.H26")
    doc = Path(__file__).resolve().parents[4] / "docs" / "catalog-import-format.md"
    example = doc.read_text(encoding="utf-8").split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "vi-du.csv"
    path.write_text(example, encoding="utf-8")
    result = import_catalog(path)
    assert result.created == ["1.001193", "3.000333"]
    birth = Procedure.objects.get(code="1.001193").current_version
    assert [(c.code, c.processing_value, [f.amount for f in c.fees.all()]) for c in birth.cases.all()] == [
        ("01", 0, [0]),
        ("02", 0, [8000]),
    ]
