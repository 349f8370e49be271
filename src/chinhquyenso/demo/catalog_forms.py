"""The form library of the demo catalog: JSON Schema (draft 2020-12) + ``form_ui`` per form key.

``demo/catalog.csv`` names a form by key in its ``bieu_mau`` column (docs/catalog-import-format.md); the catalog
importer resolves keys against ``FORMS`` and stores the resolved schema and ui on each case, so a published
version never depends on this module afterwards. Each entry is ``{"schema": {...}, "ui": {...}}`` with the ui
shape of ``catalog.schema``: ``{"order": [...], "fields": {name: {"label", "help", "widget", "codelist",
"prefill", "enumLabels"}}}``. A ``group`` field (array of objects) describes its item fields under ``"item"``
(same shape as the top level).

Forms are built from a few templates (khai sinh, kết hôn, khai tử, chứng thực, cư trú, hộ kinh doanh, đất đai,
LLTP, generic declaration ...) so the declarant block (prefilled from the signed-in profile) is the same everywhere.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

JSONSCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# --- field kinds: (JSON Schema, widget) -----------------------------------------------------------------------

Kind = tuple[dict[str, Any], str]


def text(max_length: int = 255) -> Kind:
    return {"type": "string", "minLength": 1, "maxLength": max_length}, "text"


def textarea(max_length: int = 2000) -> Kind:
    return {"type": "string", "minLength": 1, "maxLength": max_length}, "textarea"


def date() -> Kind:
    return {"type": "string", "format": "date"}, "date"


def cccd() -> Kind:
    return {"type": "string", "pattern": r"^\d{12}$"}, "cccd"


def phone() -> Kind:
    return {"type": "string", "pattern": r"^(0|\+84)\d{9}$"}, "phone"


def email() -> Kind:
    return {"type": "string", "format": "email", "maxLength": 254}, "email"


def money() -> Kind:
    return {"type": "integer", "minimum": 0}, "money"


def number(minimum: int = 0, maximum: int | None = None) -> Kind:
    schema: dict[str, Any] = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema, "number"


def tax_code() -> Kind:
    return {"type": "string", "pattern": r"^\d{10}(-\d{3})?$"}, "text"


def group() -> Kind:
    """A repeated group; the item form is given to ``Form.add(item=...)``."""
    return {"type": "array"}, "group"


def checkbox() -> Kind:
    return {"type": "boolean"}, "checkbox"


def select(*options: tuple[str, str]) -> Kind:
    """A closed list: (value, Vietnamese label) pairs; labels go to ui ``enumLabels``."""
    return {"type": "string", "enum": [value for value, _ in options]}, "select"


def codelist(name: str) -> Kind:
    """A select fed by a shared code list (ethnicity, nationality, gender, relationship, ward)."""
    return ({"type": "integer"} if name == "ward" else {"type": "string", "minLength": 1}), "select"


def address() -> Kind:
    return (
        {
            "type": "object",
            "properties": {
                "ward_code": {"type": "integer"},
                "line": {"type": "string", "minLength": 1, "maxLength": 255},
            },
            "required": ["ward_code", "line"],
        },
        "address",
    )


class Form:
    """Builds one form: ``add`` fields in display order, then ``build()`` → {"schema", "ui"}."""

    def __init__(self) -> None:
        self.properties: dict[str, Any] = {}
        self.required: list[str] = []
        self.fields: dict[str, Any] = {}

    def add(
        self,
        name: str,
        kind: Kind,
        label: str,
        *,
        required: bool = True,
        help: str = "",
        prefill: str | None = None,
        codelist_name: str | None = None,
        options: Mapping[str, str] | None = None,
        item: Form | None = None,
        item_label: str = "",
        min_items: int = 1,
    ) -> Form:
        schema, widget = kind
        schema = copy.deepcopy(schema)
        hints: dict[str, Any] = {"label": label, "widget": widget}
        if item is not None:
            schema = {"type": "array", "minItems": min_items, "items": item.schema()}
            hints["widget"] = "group"
            hints["item"] = item.ui()
            if item_label:
                hints["itemLabel"] = item_label
        if help:
            hints["help"] = help
        if prefill:
            hints["prefill"] = prefill
        if codelist_name:
            hints["codelist"] = codelist_name
        if options:
            hints["enumLabels"] = dict(options)
        if widget == "phone":
            hints["patternMessage"] = "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84)."
        self.properties[name] = schema
        self.fields[name] = hints
        if required:
            self.required.append(name)
        return self

    def include(self, other: Form) -> Form:
        for name, schema in other.properties.items():
            self.properties[name] = copy.deepcopy(schema)
            self.fields[name] = copy.deepcopy(other.fields[name])
            if name in other.required:
                self.required.append(name)
        return self

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "properties": copy.deepcopy(self.properties), "required": list(self.required)}

    def ui(self) -> dict[str, Any]:
        return {"order": list(self.properties), "fields": copy.deepcopy(self.fields)}

    def build(self) -> dict[str, Any]:
        return {
            "schema": {"$schema": JSONSCHEMA_DIALECT, **self.schema(), "additionalProperties": False},
            "ui": self.ui(),
        }


def _select(form: Form, name: str, label: str, options: list[tuple[str, str]], **kwargs: Any) -> Form:
    return form.add(name, select(*options), label, options=dict(options), **kwargs)


# --- shared blocks ----------------------------------------------------------------------------------------------


def declarant(*, with_relationship: str | None = None) -> Form:
    """Người yêu cầu / người nộp hồ sơ, prefilled from the signed-in citizen's profile."""
    form = Form()
    form.add("nguoi_yeu_cau_ho_ten", text(100), "Họ, chữ đệm, tên người yêu cầu", prefill="profile.full_name")
    form.add("nguoi_yeu_cau_ngay_sinh", date(), "Ngày, tháng, năm sinh", prefill="profile.date_of_birth")
    form.add(
        "nguoi_yeu_cau_cccd",
        cccd(),
        "Số định danh cá nhân (CCCD)",
        prefill="profile.cccd",
        help="12 chữ số, in trên thẻ căn cước hoặc căn cước công dân.",
    )
    form.add(
        "nguoi_yeu_cau_noi_cu_tru", text(255), "Nơi cư trú (số nhà, đường, thôn, tổ)", prefill="profile.address_line"
    )
    form.add(
        "nguoi_yeu_cau_xa_phuong",
        codelist("ward"),
        "Xã, phường, đặc khu",
        prefill="profile.ward_code",
        codelist_name="ward",
    )
    form.add("nguoi_yeu_cau_dien_thoai", phone(), "Số điện thoại", prefill="profile.phone")
    form.add("nguoi_yeu_cau_email", email(), "Thư điện tử", required=False, prefill="profile.email")
    if with_relationship:
        form.add(
            "quan_he_voi_nguoi_duoc",
            codelist("relationship"),
            with_relationship,
            codelist_name="relationship",
            help="Để trống nếu chính người yêu cầu là người được cấp.",
            required=False,
        )
    return form


def organization() -> Form:
    """Tổ chức nộp hồ sơ (doanh nghiệp, ngân hàng ...), prefilled from the business profile."""
    form = Form()
    form.add("to_chuc_ten", text(255), "Tên tổ chức", prefill="profile.organization_name")
    form.add("to_chuc_ma_so_thue", tax_code(), "Mã số thuế (mã số doanh nghiệp)", prefill="profile.tax_code")
    form.add(
        "nguoi_dai_dien_ho_ten",
        text(100),
        "Người đại diện theo pháp luật hoặc được ủy quyền",
        prefill="profile.full_name",
    )
    form.add("nguoi_yeu_cau_dien_thoai", phone(), "Số điện thoại liên hệ", prefill="profile.phone")
    form.add("nguoi_yeu_cau_email", email(), "Thư điện tử", required=False, prefill="profile.email")
    return form


def person(prefix: str, who: str, *, cccd_required: bool = True, birth: bool = True) -> Form:
    """Identity of someone other than the declarant (the child, the deceased, the husband ...)."""
    form = Form()
    form.add(f"{prefix}_ho_ten", text(100), f"Họ, chữ đệm, tên {who}")
    if birth:
        form.add(f"{prefix}_ngay_sinh", date(), f"Ngày, tháng, năm sinh {who}")
    form.add(f"{prefix}_gioi_tinh", codelist("gender"), "Giới tính", codelist_name="gender")
    form.add(f"{prefix}_dan_toc", codelist("ethnicity"), "Dân tộc", codelist_name="ethnicity")
    form.add(f"{prefix}_quoc_tich", codelist("nationality"), "Quốc tịch", codelist_name="nationality")
    form.add(f"{prefix}_cccd", cccd(), f"Số định danh cá nhân của {who}", required=cccd_required)
    return form


def copies(label: str = "Số bản sao đề nghị cấp") -> Form:
    return Form().add(
        "so_ban_sao", number(0, 50), label, required=False, help="Mỗi bản sao trích lục thu phí theo quy định."
    )


# --- civil status (hộ tịch) --------------------------------------------------------------------------------------


def khai_sinh(*, foreign: bool = False, late: bool = False, recognition: bool = False, existing: bool = False) -> Form:
    form = declarant(with_relationship="Quan hệ với người được khai sinh")
    child = Form()
    child.add("tre_ho_ten", text(100), "Họ, chữ đệm, tên người được khai sinh")
    child.add("tre_ngay_sinh", date(), "Ngày, tháng, năm sinh")
    child.add("tre_gioi_tinh", codelist("gender"), "Giới tính", codelist_name="gender")
    child.add("tre_dan_toc", codelist("ethnicity"), "Dân tộc", codelist_name="ethnicity")
    child.add("tre_quoc_tich", codelist("nationality"), "Quốc tịch", codelist_name="nationality")
    child.add(
        "tre_noi_sinh", text(255), "Nơi sinh", help="Tên cơ sở y tế, hoặc địa chỉ nơi sinh nếu sinh ngoài cơ sở y tế."
    )
    child.add("tre_que_quan", text(255), "Quê quán")
    form.include(child)
    form.include(person("cha", "người cha", cccd_required=False))
    form.include(person("me", "người mẹ", cccd_required=False))
    if foreign:
        form.add(
            "nuoc_ngoai_thong_tin",
            textarea(),
            "Thông tin về yếu tố nước ngoài",
            help="Cha hoặc mẹ là người nước ngoài; nơi sinh ở nước ngoài ...",
        )
    if late:
        form.add("so_giay_khai_sinh_cu", text(60), "Số, quyển số Giấy khai sinh đã cấp (nếu biết)", required=False)
        form.add("noi_dang_ky_truoc_day", text(255), "Nơi đã đăng ký khai sinh trước đây")
    if existing:
        form.add("giay_to_ca_nhan", textarea(), "Giấy tờ cá nhân đang có (hồ sơ học tập, giấy tờ tùy thân ...)")
    if recognition:
        _select(
            form,
            "nguoi_nhan",
            "Người đề nghị nhận con",
            [("cha", "Cha nhận con"), ("me", "Mẹ nhận con")],
        )
    form.add("so_ban_sao", number(0, 20), "Số bản sao Giấy khai sinh đề nghị cấp", required=False)
    return form


def ket_hon(*, foreign: bool = False, again: bool = False) -> Form:
    form = declarant()
    for prefix, who in (("chong", "bên nam"), ("vo", "bên nữ")):
        side = person(prefix, who, cccd_required=not foreign)
        side.add(f"{prefix}_noi_cu_tru", text(255), f"Nơi cư trú của {who}")
        side.add(f"{prefix}_lan_ket_hon", number(1, 20), f"Kết hôn lần thứ mấy ({who})")
        form.include(side)
    if foreign:
        form.add("ho_chieu_ben_nuoc_ngoai", text(30), "Số hộ chiếu của bên là người nước ngoài")
    if again:
        form.add("ngay_dang_ky_truoc_day", date(), "Ngày đã đăng ký kết hôn trước đây")
        form.add("noi_dang_ky_truoc_day", text(255), "Nơi đã đăng ký kết hôn trước đây")
    form.add("so_ban_sao", number(0, 20), "Số bản sao trích lục kết hôn đề nghị cấp", required=False)
    return form


def khai_tu(*, again: bool = False) -> Form:
    form = declarant(with_relationship="Quan hệ với người đã chết")
    form.include(person("nguoi_chet", "người đã chết", cccd_required=False))
    form.add("ngay_chet", date(), "Ngày chết")
    form.add("gio_chet", text(5), "Giờ chết (giờ:phút)", required=False)
    form.add("noi_chet", text(255), "Nơi chết")
    form.add("nguyen_nhan_chet", text(255), "Nguyên nhân chết", required=False)
    form.add("giay_bao_tu_so", text(60), "Số Giấy báo tử hoặc giấy tờ thay thế", required=not again)
    if again:
        form.add("noi_dang_ky_truoc_day", text(255), "Nơi đã đăng ký khai tử trước đây")
    form.add("so_ban_sao", number(0, 20), "Số bản sao trích lục khai tử đề nghị cấp", required=False)
    return form


def nhan_cha_me_con() -> Form:
    form = declarant()
    _select(
        form,
        "loai_yeu_cau",
        "Yêu cầu",
        [
            ("cha_nhan_con", "Cha nhận con"),
            ("me_nhan_con", "Mẹ nhận con"),
            ("con_nhan_cha", "Con nhận cha"),
            ("con_nhan_me", "Con nhận mẹ"),
        ],
    )
    form.include(person("nguoi_nhan", "người nhận"))
    form.include(person("nguoi_duoc_nhan", "người được nhận", cccd_required=False))
    form.add("so_giay_khai_sinh", text(60), "Số Giấy khai sinh của người con", required=False)
    form.add(
        "cam_doan", checkbox(), "Tôi cam đoan việc nhận cha, mẹ, con là đúng sự thật, tự nguyện, không có tranh chấp"
    )
    return form


def thay_doi_ho_tich() -> Form:
    form = declarant(with_relationship="Quan hệ với người có thông tin hộ tịch cần thay đổi")
    form.include(person("nguoi_duoc", "người có thông tin cần thay đổi", cccd_required=False))
    _select(
        form,
        "loai_yeu_cau",
        "Loại yêu cầu",
        [
            ("thay_doi", "Thay đổi thông tin hộ tịch"),
            ("cai_chinh", "Cải chính thông tin hộ tịch"),
            ("bo_sung", "Bổ sung thông tin hộ tịch"),
            ("xac_dinh_lai_dan_toc", "Xác định lại dân tộc"),
        ],
    )
    form.add("giay_to_can_sua", text(255), "Giấy tờ hộ tịch có thông tin cần thay đổi (số, ngày cấp)")
    form.add("noi_dung_hien_tai", textarea(500), "Nội dung đang ghi")
    form.add("noi_dung_de_nghi", textarea(500), "Nội dung đề nghị thay đổi, cải chính, bổ sung")
    form.add("ly_do", textarea(), "Lý do")
    return form


def trich_luc() -> Form:
    form = declarant(with_relationship="Quan hệ với người được cấp trích lục")
    _select(
        form,
        "loai_su_kien",
        "Loại giấy tờ đề nghị cấp bản sao",
        [
            ("khai_sinh", "Bản sao Giấy khai sinh / trích lục khai sinh"),
            ("ket_hon", "Bản sao trích lục kết hôn"),
            ("khai_tu", "Bản sao trích lục khai tử"),
            ("khac", "Trích lục sự kiện hộ tịch khác"),
        ],
    )
    form.add("nguoi_duoc_cap_ho_ten", text(100), "Họ, chữ đệm, tên người có sự kiện hộ tịch")
    form.add("nguoi_duoc_cap_ngay_sinh", date(), "Ngày, tháng, năm sinh", required=False)
    form.add("so_dang_ky", text(60), "Số đăng ký, quyển số (nếu biết)", required=False)
    form.add("ngay_dang_ky", date(), "Ngày đăng ký (nếu biết)", required=False)
    form.add("noi_dang_ky", text(255), "Nơi đã đăng ký")
    form.add("so_ban_sao", number(1, 50), "Số bản sao đề nghị cấp")
    return form


def xac_nhan_hon_nhan() -> Form:
    form = declarant(with_relationship="Quan hệ với người được xác nhận")
    _select(
        form,
        "tinh_trang_hon_nhan",
        "Tình trạng hôn nhân hiện tại",
        [
            ("chua_ket_hon", "Chưa đăng ký kết hôn với ai"),
            ("dang_co_vo_chong", "Hiện đang có vợ/chồng"),
            ("ly_hon", "Đã ly hôn, chưa kết hôn mới"),
            ("vo_chong_chet", "Vợ/chồng đã chết, chưa kết hôn mới"),
        ],
    )
    form.add(
        "noi_cu_tru_truoc_day",
        textarea(500),
        "Các nơi đã cư trú trước đây (nếu xác nhận cho thời kỳ trước)",
        required=False,
    )
    form.add(
        "muc_dich",
        textarea(500),
        "Mục đích sử dụng Giấy xác nhận",
        help="Ví dụ: để kết hôn với ông/bà ...; để mua bán nhà đất ...",
    )
    form.add("so_ban", number(1, 10), "Số bản đề nghị cấp")
    return form


def giam_ho() -> Form:
    form = declarant()
    form.include(person("nguoi_duoc_giam_ho", "người được giám hộ", cccd_required=False))
    _select(form, "loai_giam_ho", "Loại giám hộ", [("duong_nhien", "Giám hộ đương nhiên"), ("cu", "Giám hộ được cử")])
    form.add("ly_do", textarea(), "Lý do đăng ký giám hộ")
    return form


# --- certification (chứng thực) ----------------------------------------------------------------------------------


def chung_thuc_ban_sao() -> Form:
    form = declarant()
    item = Form()
    item.add("ten_giay_to", text(255), "Tên giấy tờ, văn bản")
    item.add("so_trang", number(1, 500), "Số trang của bản chính")
    item.add("so_ban", number(1, 50), "Số bản sao cần chứng thực")
    form.add("giay_to", group(), "Giấy tờ cần chứng thực bản sao", item=item, item_label="Giấy tờ")
    _select(
        form,
        "hinh_thuc_nhan",
        "Hình thức nhận bản sao",
        [("dien_tu", "Bản sao điện tử (lưu vào kho dữ liệu cá nhân)"), ("giay", "Bản giấy tại nơi nộp hồ sơ")],
    )
    return form


def chung_thuc_chu_ky() -> Form:
    form = declarant()
    form.add("ten_giay_to", text(255), "Tên giấy tờ, văn bản cần chứng thực chữ ký")
    _select(
        form,
        "hinh_thuc",
        "Hình thức",
        [
            ("ky", "Chứng thực chữ ký"),
            ("diem_chi", "Chứng thực điểm chỉ"),
            ("khong_the_ky", "Không thể ký, không thể điểm chỉ"),
        ],
    )
    form.add("so_ban", number(1, 50), "Số bản cần chứng thực")
    form.add(
        "ngoai_tru_so",
        checkbox(),
        "Đề nghị chứng thực ngoài trụ sở (già yếu, ốm đau, không đi lại được)",
        required=False,
    )
    return form


# --- residence (cư trú, mẫu CT01) --------------------------------------------------------------------------------


def cu_tru(*, temporary: bool = False, removal: bool = False, split: bool = False, correction: bool = False) -> Form:
    form = declarant()
    form.add("chu_ho_ho_ten", text(100), "Họ, chữ đệm, tên chủ hộ", required=not removal)
    form.add(
        "quan_he_voi_chu_ho",
        codelist("relationship"),
        "Quan hệ với chủ hộ",
        codelist_name="relationship",
        required=not removal,
    )
    form.add("cho_o", address(), "Địa chỉ chỗ ở" + (" đề nghị đăng ký" if not (removal or correction) else ""))
    if temporary:
        form.add(
            "tam_tru_den_ngay",
            date(),
            "Tạm trú đến ngày",
            help="Thời hạn tạm trú tối đa 02 năm, được gia hạn nhiều lần.",
        )
    if removal:
        form.add("ly_do", textarea(), "Lý do xóa đăng ký", help="Thuộc trường hợp nào theo Luật Cư trú.")
    if correction:
        form.add("noi_dung_dieu_chinh", textarea(), "Thông tin đề nghị điều chỉnh")
    if split:
        form.add("chu_ho_moi_ho_ten", text(100), "Họ, chữ đệm, tên chủ hộ mới")
        form.add("y_kien_chu_ho", checkbox(), "Chủ hộ và chủ sở hữu chỗ ở đã đồng ý cho tách hộ")
    member = Form()
    member.add("ho_ten", text(100), "Họ, chữ đệm, tên")
    member.add("ngay_sinh", date(), "Ngày sinh")
    member.add("gioi_tinh", codelist("gender"), "Giới tính", codelist_name="gender")
    member.add("cccd", cccd(), "Số định danh cá nhân", required=False)
    member.add("quan_he_voi_chu_ho", codelist("relationship"), "Quan hệ với chủ hộ", codelist_name="relationship")
    form.add(
        "thanh_vien_cung_thay_doi",
        group(),
        "Những thành viên trong hộ gia đình cùng thay đổi",
        item=member,
        item_label="Thành viên",
        required=False,
        min_items=0,
    )
    form.add("noi_dung_de_nghi", textarea(), "Nội dung đề nghị", required=False)
    return form


# --- household business (hộ kinh doanh) --------------------------------------------------------------------------


def ho_kinh_doanh(*, mode: str = "thanh_lap") -> Form:
    form = declarant()
    form.add("ten_ho_kinh_doanh", text(255), "Tên hộ kinh doanh")
    if mode != "thanh_lap":
        form.add("so_giay_chung_nhan", text(30), "Mã số hộ kinh doanh / số Giấy chứng nhận đã cấp")
    if mode in {"thanh_lap", "thay_doi"}:
        form.add("dia_diem_kinh_doanh", address(), "Địa điểm kinh doanh", required=mode == "thanh_lap")
        form.add("nganh_nghe", textarea(1000), "Ngành, nghề kinh doanh", required=mode == "thanh_lap")
        form.add("von_kinh_doanh", money(), "Vốn kinh doanh (đồng)", required=mode == "thanh_lap")
        form.add("so_lao_dong", number(0, 10000), "Số lao động", required=False)
    if mode == "thay_doi":
        form.add("noi_dung_thay_doi", textarea(), "Nội dung đăng ký thay đổi")
    if mode == "tam_ngung":
        _select(
            form,
            "loai_yeu_cau",
            "Đề nghị",
            [("tam_ngung", "Tạm ngừng kinh doanh"), ("tiep_tuc", "Tiếp tục kinh doanh trước thời hạn")],
        )
        form.add("tu_ngay", date(), "Từ ngày")
        form.add("den_ngay", date(), "Đến ngày", required=False)
        form.add("ly_do", textarea(), "Lý do", required=False)
    if mode == "cham_dut":
        form.add("ngay_cham_dut", date(), "Ngày chấm dứt hoạt động")
        form.add("da_hoan_thanh_thue", checkbox(), "Đã hoàn thành nghĩa vụ thuế với cơ quan thuế")
    if mode == "cap_lai":
        _select(
            form,
            "ly_do",
            "Lý do",
            [
                ("mat", "Giấy chứng nhận bị mất"),
                ("hong", "Giấy chứng nhận bị rách, cháy, hư hỏng"),
                ("doi", "Cấp đổi sang Giấy chứng nhận đăng ký hộ kinh doanh"),
            ],
        )
    return form


# --- land (đất đai) -----------------------------------------------------------------------------------------------


def dat_dai(*, first: bool = False, lost: bool = False) -> Form:
    form = declarant()
    form.add("thua_dat_so", text(20), "Thửa đất số")
    form.add("to_ban_do_so", text(20), "Tờ bản đồ số")
    form.add("dia_chi_thua_dat", address(), "Địa chỉ thửa đất")
    form.add("dien_tich", number(1, 10_000_000), "Diện tích (m²)")
    _select(
        form,
        "doi_tuong_cap",
        "Đề nghị cấp cho",
        [
            ("dat", "Quyền sử dụng đất"),
            ("tai_san", "Quyền sở hữu tài sản gắn liền với đất"),
            ("dat_va_tai_san", "Cả đất và tài sản"),
        ],
    )
    if not first:
        form.add("so_giay_chung_nhan", text(30), "Số phát hành (số seri) Giấy chứng nhận đã cấp")
        form.add("so_vao_so", text(30), "Số vào sổ cấp Giấy chứng nhận", required=False)
    if first:
        form.add(
            "nguon_goc_su_dung",
            textarea(),
            "Nguồn gốc sử dụng đất",
            help="Ví dụ: nhận chuyển nhượng, thừa kế, tự khai hoang ... từ năm nào.",
        )
        form.add("thoi_diem_bat_dau", date(), "Thời điểm bắt đầu sử dụng đất", required=False)
    if lost:
        form.add("ly_do_mat", textarea(), "Hoàn cảnh bị mất Giấy chứng nhận")
        form.add("da_niem_yet", checkbox(), "Đã khai báo mất và được niêm yết tại UBND cấp xã", required=False)
    elif not first:
        form.add(
            "ly_do",
            textarea(),
            "Lý do cấp đổi",
            help="Ví dụ: Giấy chứng nhận bị ố, nhòe, rách; đo đạc lại diện tích ...",
        )
    return form


def bao_dam() -> Form:
    form = organization()
    form.add("ben_bao_dam_ho_ten", text(255), "Bên bảo đảm (họ tên cá nhân hoặc tên tổ chức)")
    form.add("ben_bao_dam_giay_to", text(30), "Số định danh cá nhân hoặc mã số thuế của bên bảo đảm")
    form.add("hop_dong_so", text(60), "Số hợp đồng bảo đảm")
    form.add("hop_dong_ngay", date(), "Ngày ký hợp đồng bảo đảm")
    form.add("so_giay_chung_nhan", text(30), "Số phát hành Giấy chứng nhận của tài sản bảo đảm")
    form.add("mo_ta_tai_san", textarea(), "Mô tả tài sản bảo đảm (thửa, tờ bản đồ, địa chỉ)")
    return form


# --- province level ------------------------------------------------------------------------------------------------


def ly_lich_tu_phap() -> Form:
    form = declarant()
    form.include(person("nguoi_duoc_cap", "người được cấp Phiếu", birth=True))
    form.add("noi_sinh", text(255), "Nơi sinh")
    form.add("ho_ten_cha", text(100), "Họ, chữ đệm, tên cha")
    form.add("ho_ten_me", text(100), "Họ, chữ đệm, tên mẹ")
    form.add("ho_ten_vo_chong", text(100), "Họ, chữ đệm, tên vợ/chồng", required=False)
    item = Form()
    item.add("tu_nam", number(1900, 2100), "Từ năm")
    item.add("den_nam", number(1900, 2100), "Đến năm", required=False)
    item.add("noi_cu_tru", text(255), "Nơi thường trú, tạm trú")
    form.add("qua_trinh_cu_tru", group(), "Quá trình cư trú (từ đủ 14 tuổi)", item=item, item_label="Nơi cư trú")
    _select(form, "loai_phieu", "Loại Phiếu lý lịch tư pháp", [("so_1", "Phiếu số 1"), ("so_2", "Phiếu số 2")])
    form.add("muc_dich", text(255), "Mục đích sử dụng Phiếu")
    form.add("so_ban", number(1, 10), "Số lượng Phiếu đề nghị cấp")
    form.add(
        "yeu_cau_xac_nhan_an_tich",
        checkbox(),
        "Yêu cầu xác nhận về việc có bị cấm đảm nhiệm chức vụ, thành lập, quản lý doanh nghiệp",
        required=False,
    )
    return form


def doanh_nghiep_tu_nhan() -> Form:
    form = declarant()
    form.add(
        "ten_doanh_nghiep",
        text(255),
        "Tên doanh nghiệp viết bằng tiếng Việt",
        help="Gồm loại hình «Doanh nghiệp tư nhân» và tên riêng.",
    )
    form.add("ten_viet_tat", text(100), "Tên doanh nghiệp viết tắt", required=False)
    form.add("tru_so", address(), "Địa chỉ trụ sở chính")
    form.add("nganh_nghe", textarea(2000), "Ngành, nghề kinh doanh (mã ngành cấp 4)")
    form.add("von_dau_tu", money(), "Vốn đầu tư của chủ doanh nghiệp (đồng)")
    form.add("so_lao_dong", number(0, 100000), "Số lao động dự kiến", required=False)
    form.add("dien_thoai_doanh_nghiep", phone(), "Điện thoại của doanh nghiệp", required=False)
    return form


def xay_dung() -> Form:
    form = declarant()
    form.add("dia_diem_xay_dung", address(), "Địa điểm xây dựng")
    form.add("thua_dat_so", text(20), "Thửa đất số")
    form.add("to_ban_do_so", text(20), "Tờ bản đồ số")
    form.add("so_giay_chung_nhan", text(30), "Số Giấy chứng nhận quyền sử dụng đất")
    form.add("dien_tich_xay_dung", number(1, 100000), "Diện tích xây dựng tầng 1 (m²)")
    form.add("tong_dien_tich_san", number(1, 1000000), "Tổng diện tích sàn (m²)")
    form.add("so_tang", number(1, 50), "Số tầng (kể cả tầng hầm, tum)")
    form.add("chieu_cao", number(1, 200), "Chiều cao công trình (m)")
    form.add("don_vi_thiet_ke", text(255), "Đơn vị hoặc cá nhân thiết kế", required=False)
    return form


def tro_giup_xa_hoi(*, burial: bool = False) -> Form:
    form = declarant(with_relationship="Quan hệ với đối tượng")
    form.include(person("doi_tuong", "đối tượng", cccd_required=False))
    if burial:
        form.add("ngay_chet", date(), "Ngày đối tượng chết")
        form.add("nguoi_to_chuc_mai_tang", text(100), "Cá nhân, tổ chức đứng ra mai táng")
    else:
        _select(
            form,
            "loai_de_nghi",
            "Đề nghị",
            [
                ("thuc_hien", "Hưởng trợ cấp"),
                ("dieu_chinh", "Điều chỉnh mức trợ cấp"),
                ("thoi_huong", "Thôi hưởng trợ cấp"),
            ],
        )
        form.add(
            "dien_doi_tuong",
            text(255),
            "Thuộc diện đối tượng",
            help="Ví dụ: người cao tuổi, người khuyết tật nặng, trẻ em mồ côi ...",
        )
    _select(
        form,
        "hinh_thuc_nhan",
        "Hình thức nhận tiền",
        [("tai_khoan", "Chuyển khoản"), ("tien_mat", "Nhận tiền mặt tại điểm chi trả")],
    )
    form.add("so_tai_khoan", text(30), "Số tài khoản, ngân hàng (nếu nhận chuyển khoản)", required=False)
    return form


def to_khai_chung() -> Form:
    form = declarant()
    form.add("noi_dung", textarea(4000), "Nội dung đề nghị")
    return form


# --- the library ------------------------------------------------------------------------------------------------

FORMS: dict[str, dict[str, Any]] = {
    "khai_sinh": khai_sinh().build(),
    "khai_sinh_nhan_cha_me_con": khai_sinh(recognition=True).build(),
    "khai_sinh_nuoc_ngoai": khai_sinh(foreign=True).build(),
    "khai_sinh_lai": khai_sinh(late=True).build(),
    "khai_sinh_da_co_ho_so": khai_sinh(existing=True).build(),
    "ket_hon": ket_hon().build(),
    "ket_hon_lai": ket_hon(again=True).build(),
    "ket_hon_nuoc_ngoai": ket_hon(foreign=True).build(),
    "khai_tu": khai_tu().build(),
    "khai_tu_lai": khai_tu(again=True).build(),
    "nhan_cha_me_con": nhan_cha_me_con().build(),
    "thay_doi_ho_tich": thay_doi_ho_tich().build(),
    "trich_luc": trich_luc().build(),
    "xac_nhan_hon_nhan": xac_nhan_hon_nhan().build(),
    "giam_ho": giam_ho().build(),
    "chung_thuc_ban_sao": chung_thuc_ban_sao().build(),
    "chung_thuc_chu_ky": chung_thuc_chu_ky().build(),
    "cu_tru_thuong_tru": cu_tru().build(),
    "cu_tru_tam_tru": cu_tru(temporary=True).build(),
    "cu_tru_xoa": cu_tru(removal=True).build(),
    "cu_tru_tach_ho": cu_tru(split=True).build(),
    "cu_tru_dieu_chinh": cu_tru(correction=True).build(),
    "ho_kinh_doanh": ho_kinh_doanh().build(),
    "ho_kinh_doanh_thay_doi": ho_kinh_doanh(mode="thay_doi").build(),
    "ho_kinh_doanh_tam_ngung": ho_kinh_doanh(mode="tam_ngung").build(),
    "ho_kinh_doanh_cham_dut": ho_kinh_doanh(mode="cham_dut").build(),
    "ho_kinh_doanh_cap_lai": ho_kinh_doanh(mode="cap_lai").build(),
    "dat_dai_cap_doi": dat_dai().build(),
    "dat_dai_cap_lai": dat_dai(lost=True).build(),
    "dat_dai_lan_dau": dat_dai(first=True).build(),
    "dat_dai_bao_dam": bao_dam().build(),
    "ly_lich_tu_phap": ly_lich_tu_phap().build(),
    "doanh_nghiep_tu_nhan": doanh_nghiep_tu_nhan().build(),
    "xay_dung_nha_o": xay_dung().build(),
    "tro_cap_xa_hoi": tro_giup_xa_hoi().build(),
    "mai_tang": tro_giup_xa_hoi(burial=True).build(),
    "to_khai_chung": to_khai_chung().build(),
}
