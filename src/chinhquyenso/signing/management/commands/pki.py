"""``cqs pki``: the platform's PKI from the command line.

cqs pki init                                   demo root CA, issuing CA, TSA; certificates for leaders, specialists
cqs pki issue USERNAME                         a software certificate from the demo issuing CA
cqs pki import-p12 USERNAME FILE [--password-env VAR]   an officer's .p12/.pfx from a licensed CA
cqs pki enrol-token USERNAME --module SO --token LABEL --key LABEL [--pin-env VAR]
                                               key pair generated on a PKCS#11 token, certified by the demo CA
cqs pki trust FILE [--name NAME]               add a root certificate (PEM/DER) to the trust list
cqs pki list                                   credentials and the trust list
Passwords and PINs are read from environment variables (never from the command line, which `ps` shows).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chinhquyenso.accounts.models import User
from chinhquyenso.signing import pki
from chinhquyenso.signing.errors import SigningError
from chinhquyenso.signing.models import SigningCredential, TrustAnchor


class Command(BaseCommand):
    help = "Hạ tầng khóa công khai (PKI) của hệ thống: CA trình diễn, chứng thư ký số của cán bộ, danh sách tin cậy."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "init", help="tạo CA và TSA trình diễn, cấp chứng thư cho lãnh đạo, chuyên viên (chạy lại an toàn)"
        )
        issue = sub.add_parser("issue", help="cấp chứng thư (khóa lưu mã hóa) cho một cán bộ")
        issue.add_argument("username")
        imp = sub.add_parser("import-p12", help="nhập tệp .p12/.pfx của cán bộ")
        imp.add_argument("username")
        imp.add_argument("file", type=Path)
        imp.add_argument("--password-env", default="CQS_P12_PASSWORD", help="biến môi trường chứa mật khẩu tệp")
        enrol = sub.add_parser("enrol-token", help="sinh khóa trên thiết bị PKCS#11 và cấp chứng thư")
        enrol.add_argument("username")
        enrol.add_argument("--module", required=True, help="đường dẫn thư viện PKCS#11 (.so)")
        enrol.add_argument("--token", required=True, help="nhãn thiết bị (token label)")
        enrol.add_argument("--key", required=True, help="nhãn khóa sẽ tạo")
        enrol.add_argument("--pin-env", default="CQS_TOKEN_PIN", help="biến môi trường chứa mã PIN")
        trust = sub.add_parser("trust", help="thêm chứng thư gốc vào danh sách tin cậy")
        trust.add_argument("file", type=Path)
        trust.add_argument("--name", default="")
        sub.add_parser("list", help="liệt kê chứng thư ký số và danh sách tin cậy")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except SigningError as exc:
            raise CommandError(exc.message) from None

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản «{username}».")
        return user

    def _init(self, options: dict[str, Any]) -> None:
        report = pki.pki_init()
        for name in report.created_authorities:
            self.stdout.write(f"Đã tạo: {name}")
        for username in report.issued:
            self.stdout.write(f"Đã cấp chứng thư ký số cho {username}")
        if not report.created_authorities and not report.issued:
            self.stdout.write("PKI trình diễn đã có sẵn; giữ nguyên.")

    def _issue(self, options: dict[str, Any]) -> None:
        credential = pki.credential_issue(user=self._user(options["username"]))
        self.stdout.write(f"Đã cấp chứng thư {credential.serial} cho {options['username']}, hết hạn "
                          f"{credential.not_after:%d/%m/%Y}.")  # fmt: skip

    def _import_p12(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        credential = pki.credential_import_pkcs12(
            user=self._user(options["username"]), data=path.read_bytes(),
            password=os.environ.get(options["password_env"]) or None,
        )  # fmt: skip
        self.stdout.write(f"Đã nhập chứng thư «{credential.subject_name}» ({credential.issuer_name}).")

    def _enrol_token(self, options: dict[str, Any]) -> None:
        pin = os.environ.get(options["pin_env"], "")
        if not pin:
            raise CommandError(f"Đặt mã PIN của thiết bị trong biến môi trường {options['pin_env']}.")
        credential = pki.credential_enrol_token(
            user=self._user(options["username"]), module=options["module"], token_label=options["token"],
            pin=pin, key_label=options["key"],
        )  # fmt: skip
        self.stdout.write(f"Đã sinh khóa «{options['key']}» trên thiết bị «{options['token']}» và cấp chứng thư "
                          f"{credential.serial}.")  # fmt: skip

    def _trust(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        anchor = pki.trust_anchor_add(data=path.read_bytes(), name=options["name"], source=str(path.name))
        self.stdout.write(f"Danh sách tin cậy có: {anchor.name} ({anchor.fingerprint[:16]}…).")

    def _list(self, options: dict[str, Any]) -> None:
        self.stdout.write("Danh sách tin cậy:")
        for anchor in TrustAnchor.objects.filter(active=True):
            self.stdout.write(f"  {anchor.name}  hết hạn {anchor.not_after:%d/%m/%Y}  {anchor.fingerprint[:16]}…")
        self.stdout.write("Chứng thư ký số của cán bộ:")
        for credential in SigningCredential.objects.select_related("user").order_by("user__username"):
            state = "đang dùng" if credential.active and not credential.expired else "không dùng"
            self.stdout.write(f"  {credential.user.username:<16} {credential.get_kind_display():<40} "
                              f"hết hạn {credential.not_after:%d/%m/%Y}  {state}")  # fmt: skip
