"""Signing and verification throughput per core, against a bare pyHanko loop measured in the same run.

``uv run python -m bench.signing [--duration S] [--processes N] [--no-record]``

Not an HTTP benchmark (the harness in ``bench/harness.py`` measures GETs through the production server): signing is
CPU work inside a POST, so this module measures the code paths directly, in-process, on a throw-away SQLite database:

- **bare pyHanko sign**: ``PdfSigner.sign_pdf`` with the same key, the same local RFC 3161 TSA and no stamp;
- **platform sign**: ``pdfsign.sign_pdf``: the same plus the visible stamp (drawn with fpdf2, DejaVu font, QR code);
- **platform sign + check**: what ``services.result_issue`` pays before its transaction: sign, then verify the
  buffer (every signature, chain, timestamp, difference analysis) before anything is published;
- **bare pyHanko validate**: ``validate_pdf_signature`` with a trust-root-only ``ValidationContext``;
- **platform verify**: ``verify.verify_pdf``: the same plus the trust list from the database, the register lookup
  by SHA-256, point-in-time rules and the Vietnamese report.

Each is measured in one process (one core) for ``--duration`` seconds; then *platform sign + check* runs in
``--processes`` processes at once to show how it scales over the machine's cores. A dated table is appended to
docs/performance.md. Django is imported inside ``main`` only: the harness imports every module of ``bench/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"


@dataclass(frozen=True)
class Measure:
    label: str
    count: int
    seconds: float
    latencies_ms: tuple[float, ...]

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _loop(label: str, fn: Callable[[], object], duration: float) -> Measure:
    fn()  # warm-up: caches, font loading, first TSA key use
    latencies: list[float] = []
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        fn()
        latencies.append((time.perf_counter() - t0) * 1000)
        if time.perf_counter() - start >= duration and len(latencies) >= 3:
            break
    return Measure(label, len(latencies), time.perf_counter() - start, tuple(latencies))


def _setup(tmp: Path) -> dict[str, Any]:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "chinhquyenso.config.settings", "CQS_ENV": "development", "DEBUG": "false",
        "CQS_VAR_DIR": str(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}", "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(tmp / "media"), "CQS_TSA_URL": "",
    })  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from chinhquyenso.accounts.models import User
    from chinhquyenso.signing import crypto, pdfsign, pki
    from chinhquyenso.signing.models import PlatformKey

    pki.pki_init()
    officer = User.objects.create(username="bench.lanhdao", kind=User.Kind.OFFICER, full_name="Vũ Quốc Hùng")
    credential = pki.credential_issue(user=officer)
    root = crypto.load_pem(PlatformKey.objects.get(role=PlatformKey.Role.ROOT).certificate_pem)
    return {"credential": credential, "root": root, "stamper": pdfsign.local_timestamper()}


def _result_pdf() -> bytes:
    from fpdf import FPDF

    from chinhquyenso.dossiers.documents.pdf import FAMILY, FONT_DIR, FONT_FILES

    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(FONT_DIR / FONT_FILES[""]))
    pdf.set_font(FAMILY, "", 13)
    pdf.add_page()
    pdf.multi_cell(0, 7, "GIẤY KHAI SINH\nHọ, chữ đệm, tên: Nguyễn Minh Khôi\n" + "Nội dung kết quả. " * 60)
    return bytes(pdf.output())


def _operations(ctx: dict[str, Any]) -> dict[str, Callable[[], object]]:
    import io

    from django.utils import timezone
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from chinhquyenso.signing import crypto, pdfsign, verify

    data = _result_pdf()
    stamper = ctx["stamper"]
    stamp = pdfsign.Stamp(signer="Vũ Quốc Hùng", title="Phó Chủ tịch UBND phường", agency="Ủy ban nhân dân phường",
                          at=timezone.now(), verify_url="http://127.0.0.1:8000/xac-thuc/?ma=BENCH", code="BENCH")  # fmt: skip

    def signer() -> signers.Signer:
        with pdfsign.open_signer(ctx["credential"]) as opened:
            return opened

    def bare_sign() -> bytes:
        meta = signers.PdfSignatureMetadata(field_name="Sig", md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES)  # fmt: skip
        out = signers.PdfSigner(meta, signer=signer(), timestamper=stamper).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(data))
        )
        return bytes(out.getvalue())

    def platform_sign() -> bytes:
        return pdfsign.sign_pdf(data=data, signer=signer(), stamp=stamp, reason="bench", location="Hải Phòng",
                                stamper=stamper)  # fmt: skip

    def platform_sign_check() -> None:
        assert verify.verify_pdf(platform_sign()).signatures_ok

    signed = platform_sign()
    context_roots = [crypto.to_asn1_cert(ctx["root"])]

    def bare_validate() -> None:
        sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=context_roots, allow_fetching=False))
        assert status.bottom_line

    def platform_verify() -> None:
        assert verify.verify_pdf(signed).signatures_ok

    return {
        "bare pyHanko sign (PAdES B-T, invisible)": bare_sign,
        "platform sign (stamp + QR)": platform_sign,
        "platform sign + check (before publishing)": platform_sign_check,
        "bare pyHanko validate": bare_validate,
        "platform verify (trust list, register, report)": platform_verify,
    }


def _worker(args: tuple[float, Any]) -> tuple[int, float]:
    duration, _ = args
    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's SQLite handle
    ops = _operations(_CTX)
    measure = _loop("parallel", ops["platform sign + check (before publishing)"], duration)
    return measure.count, measure.seconds


_CTX: dict[str, Any] = {}


def _table(rows: Sequence[tuple[Measure, Measure | None]], parallel: tuple[int, int, float]) -> str:
    lines = [
        "| operation (one process = one core) | ops/s | mean ms | p50 ms | p95 ms | ÷ bare pyHanko |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for m, bare in rows:
        ratio = f"{m.rate / bare.rate:.2f}" if bare is not None and bare.rate else "1.00"
        lines.append(f"| {m.label} | {m.rate:.1f} | {statistics.fmean(m.latencies_ms):.1f} | {m.pct(0.5):.1f} "
                     f"| {m.pct(0.95):.1f} | {ratio} |")  # fmt: skip
    processes, count, seconds = parallel
    total = count / seconds if seconds else 0.0
    lines.append(f"| platform sign + check, {processes} processes at once | {total:.1f} total, "
                 f"{total / processes:.1f} per process | | | | |")  # fmt: skip
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.signing", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement (default 10)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="parallel processes (cores)")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to docs/performance.md")
    args = parser.parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="cqs-bench-signing-") as tmp_name:
        print("· throw-away SQLite database: migrate, demo PKI, one signing certificate", flush=True)
        _CTX.update(_setup(Path(tmp_name)))
        ops = _operations(_CTX)
        measured: dict[str, Measure] = {}
        for label, fn in ops.items():
            print(f"· {label}", flush=True)
            measured[label] = _loop(label, fn, args.duration)
        print(f"· platform sign + check in {args.processes} processes", flush=True)
        from django.db import connections

        connections.close_all()
        with multiprocessing.get_context("fork").Pool(args.processes) as pool:
            results = pool.map(_worker, [(args.duration, i) for i in range(args.processes)])
    count = sum(c for c, _ in results)
    seconds = max(s for _, s in results)
    sign_bare = measured["bare pyHanko sign (PAdES B-T, invisible)"]
    validate_bare = measured["bare pyHanko validate"]
    rows = [(m, sign_bare if "sign" in label and "bare" not in label else validate_bare if "verify" in label else None)
            for label, m in measured.items()]  # fmt: skip
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT,
                            check=False).stdout.strip()  # fmt: skip
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.machine())  # fmt: skip
    report = (
        f"### {started:%Y-%m-%d %H:%M} UTC: signing (standalone: `uv run python -m bench.signing`)\n\n"
        f"- machine: {cpu}, {os.cpu_count()} cores; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n"
        f"- software: Python {platform.python_version()}, pyHanko {metadata.version('pyhanko')}, "
        f"pyhanko-certvalidator {metadata.version('pyhanko-certvalidator')}, cryptography "
        f"{metadata.version('cryptography')}, fpdf2 {metadata.version('fpdf2')}\n"
        f"- what: a one-page A4 result, RSA 2048 key kept as an encrypted PKCS#12 (opened once per process), the "
        f"platform's local RFC 3161 TSA in-process; {args.duration:g} s per measurement after one warm-up call\n"
        f"- commit: {commit or '?'}\n\n{_table(rows, (args.processes, count, seconds))}\n\n"
        "- ÷ bare pyHanko: signing rows over the bare signing loop, verification rows over the bare validation loop.\n"
    )
    print("\n" + report)
    if not args.no_record:
        with DOC.open("a", encoding="utf-8") as out:
            out.write("\n" + report)
        print(f"· appended to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
