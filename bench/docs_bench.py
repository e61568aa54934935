"""Document timings against the targets of issue 8: 受理回执 ≤ 50 ms to PDF, a 10-page 权益记录 ≤ 300 ms; also the
单位参保缴费证明, an appendix form and a thermal slip for reference. Each run renders a fresh document (new case id,
so nothing is served from the QR cache) to a temporary folder, atomic write and fsync included.
Usage: .venv/bin/python bench/docs_bench.py [--runs 15]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(fn, runs: int) -> tuple[list[float], list[float]]:
    """(wall, cpu) seconds per run. CPU time is shown too: on a loaded machine the wall clock mostly measures the
    other processes (and fsync waits on the disk)."""
    fn(0)  # warm-up: font registration, imports
    wall, cpu = [], []
    for n in range(1, runs + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn(n)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def report(name: str, times: tuple[list[float], list[float]], target: float | None = None, extra: str = "") -> bool:
    wall, cpu = times
    median = statistics.median(wall)
    ok = target is None or median <= target
    verdict = "" if target is None else (f"; target ≤ {ms(target)} " + ("OK" if ok else "MISSED"))
    print(f"{name}: median {ms(median)} (min {ms(min(wall))}, max {ms(max(wall))}; CPU median "
          f"{ms(statistics.median(cpu))}) over {len(wall)} runs{verdict}{extra}")
    return ok


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "0"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)

    from app.catalog import load_catalog
    from app.docs.certificates import Verification, render_rights_record, render_unit_certificate
    from app.docs.forms import FormCase, printable_forms, render_appendix_form
    from app.docs.receipt import AcceptanceReceipt, render_acceptance_receipt
    from app.docs.samples import rights_record, unit_certificate
    from app.docs.slip import Slip, slip_escpos
    from app.ids import make_id_number
    from server.demo_data import generate_demo_data

    folder = Path(tempfile.mkdtemp(prefix="yc-docs-bench-"))
    demo = generate_demo_data()
    printed = datetime(2026, 11, 25, 6, 5, tzinfo=timezone.utc)
    ok = True
    try:
        receipt = AcceptanceReceipt(
            agency_name="呼和浩特市新城区社会保险事业管理局", agency_code="150102001",
            case_no="150102-T01-20261125-0007", case_id="3f1c2a9e-8b7d-4c21-9a55-0e6d2b7f4a10",
            item_name="城乡居民养老保险参保登记", item_citation="《内蒙古自治区社会保险经办服务标准化指南》004:L1604",
            applicant_name="乌兰其其格", applicant_id_number=make_id_number("150102", date(1980, 5, 17), 23, False),
            accepted_at=datetime(2026, 11, 25, 6, 3, tzinfo=timezone.utc), operator_id="OP0012", operator_name="王丽",
            terminal_id="T01", promised_time_limit="即时办结",
            materials=(("居民身份证", "已收取原件"), ("户口簿", "已收取复印件"),
                       ("城乡居民基本养老保险参保登记表", "已收取原件"), ("银行卡（存折）", "待补正")),
            summary_fields=(("户籍性质", "农业户口"), ("缴费档次", "每年1000元"), ("参保地", "新城区")),
            status_text="已受理")
        ok &= report("受理回执 → PDF", timed(lambda n: render_acceptance_receipt(
            replace(receipt, case_id=f"3f1c2a9e-8b7d-4c21-9a55-{n:012d}"), folder / "receipt.pdf",
            printed_at=printed), args.runs), 0.050)

        from app.docs import render as render_module

        synced = (render_module._fsync_file, render_module._fsync_dir)
        render_module._fsync_file = render_module._fsync_dir = lambda _path: None
        try:  # how much of it is the disk: the same without the two fsyncs of the atomic write
            report("受理回执 → PDF, fsync skipped (for reference)", timed(lambda n: render_acceptance_receipt(
                replace(receipt, case_id=f"3f1c2a9e-8b7d-4c21-9a55-{n + 1000:012d}"), folder / "receipt.pdf",
                printed_at=printed), args.runs))
        finally:
            render_module._fsync_file, render_module._fsync_dir = synced

        employees = [p for p in demo.persons if p.kind == "employee"]
        longest = min(employees, key=lambda p: min(i.since for i in p.insurances))
        record = rights_record(longest, demo.units)

        def rights(n: int) -> None:
            code = f"QY-7K2M-9XQ4-TRDF-3HN2-{n:04d}"
            render_rights_record(record, Verification(code, f"https://verify.example/api/v1/certificates/{code}"),
                                 folder / "rights.pdf", printed_at=printed)

        times = timed(rights, args.runs)
        count = pages(folder / "rights.pdf")
        ok &= report(f"权益记录 {len(record.months)} months → {count}-page PDF", times, 0.300)

        cert = unit_certificate(demo.units[0], demo.persons, case_no="150102-T01-20250106-0003")
        report("单位参保缴费证明 (12 months) → PDF", timed(lambda n: render_unit_certificate(
            cert, Verification(f"CB-{n:04d}", f"https://verify.example/api/v1/certificates/CB-{n:04d}"),
            folder / "unit.pdf", printed_at=printed), args.runs),
            extra=f" ({pages(folder / 'unit.pdf')} page)")

        item = load_catalog().get("resident_pension_enrolment")
        (form,) = printable_forms(item)
        person = next(p for p in demo.persons if p.kind == "uninsured")
        values = dict(ssn=person.ssn, name=person.name, gender=person.gender, nation=person.nation,
                      birth_date=person.birth_date.isoformat(), phone=person.phone,
                      hukou_address=person.hukou_address, residence_address=person.residence_address,
                      postcode=person.postcode, village=person.village, enrolment_date="2026-11-25")
        report("参保登记表 (表 A.1) → PDF", timed(lambda n: render_appendix_form(item, form, FormCase(
            "呼和浩特市新城区社会保险事业管理局", "150102001", "150102-T01-20261125-0007", f"case-{n}", "OP0012",
            values, printed), folder / "form.pdf"), args.runs))

        slip = Slip("呼和浩特市新城区社会保险事业管理局", "A023", "150102-T01-20261125-0007", "城乡居民养老保险参保登记",
                    "承诺办结：2026年12月09日", "YC|150102-T01-20261125-0007|x", printed, window="3号窗口")
        for width in (576, 384):
            report(f"小票 {width} dots → ESC/POS", timed(lambda n: slip_escpos(
                replace(slip, qr_payload=f"YC|150102-T01-20261125-0007|{n}"), width), args.runs))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
