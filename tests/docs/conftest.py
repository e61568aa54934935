"""Shared fixtures for the document tests: a sample receipt and poppler helpers that read PDFs back."""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from app.docs.receipt import AcceptanceReceipt
from app.ids import make_id_number

RAW_ID = make_id_number("150102", date(1980, 5, 17), 23, False)
PRINTED_AT = datetime(2026, 11, 25, 6, 5, tzinfo=timezone.utc)


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not found: install poppler-utils to read PDFs back")
    return path


class Poppler:
    """pdftotext / pdfinfo / pdffonts / pdftoppm, each skipping the test when poppler-utils is missing."""

    @staticmethod
    def pdftotext(pdf: Path, page: int | None = None, *, raw: bool = False) -> str:
        """-layout (as printed, columns side by side); raw=True gives content order, a wrapped cell's lines together."""
        args = [_need("pdftotext"), "-raw" if raw else "-layout", "-enc", "UTF-8"]
        if page is not None:
            args += ["-f", str(page), "-l", str(page)]
        return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout

    @staticmethod
    def pages(pdf: Path) -> int:
        out = subprocess.run([_need("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
        return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))

    @staticmethod
    def fonts(pdf: Path) -> list[list[str]]:
        """Rows of `pdffonts` below its header, split on whitespace (name first, emb = 5th-from-last column)."""
        out = subprocess.run([_need("pdffonts"), str(pdf)], check=True, capture_output=True, text=True).stdout
        return [line.split() for line in out.splitlines()[2:] if line.strip()]

    @staticmethod
    def png(pdf: Path, out_dir: Path, dpi: int, page: int = 1) -> Path:
        prefix = out_dir / f"page{page}"
        subprocess.run(
            [_need("pdftoppm"), "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
            check=True,
        )
        return prefix.with_suffix(".png")


@pytest.fixture
def poppler() -> Poppler:
    return Poppler()


@pytest.fixture
def raw_id() -> str:
    return RAW_ID


@pytest.fixture
def printed_at() -> datetime:
    return PRINTED_AT


@pytest.fixture
def receipt() -> AcceptanceReceipt:
    return AcceptanceReceipt(
        agency_name="呼和浩特市新城区社会保险事业管理局",
        agency_code="150102001",
        case_no="150102-T01-20261125-0007",
        case_id="3f1c2a9e-8b7d-4c21-9a55-0e6d2b7f4a10",
        item_name="城乡居民养老保险参保登记",
        item_citation="内蒙古社会保险经办服务标准化指南 004:L1604",
        applicant_name="乌兰其其格",
        applicant_id_number=RAW_ID,
        accepted_at=datetime(2026, 11, 25, 6, 3, tzinfo=timezone.utc),
        operator_id="OP0012",
        operator_name="王丽",
        terminal_id="T01",
        promised_time_limit="即时办结",
        materials=(
            ("居民身份证", "已收取原件"),
            ("户口簿", "已收取复印件"),
            ("城乡居民基本养老保险参保登记表", "已收取原件"),
            ("银行卡（存折）", "待补正"),
        ),
        summary_fields=(("户籍性质", "农业户口"), ("缴费档次", "每年1000元"), ("参保地", "新城区")),
        status_text="已受理",
    )


@pytest.fixture
def many_materials(receipt: AcceptanceReceipt) -> AcceptanceReceipt:
    return replace(receipt, materials=tuple((f"证明材料第{n:02d}号", "已收取复印件") for n in range(1, 61)))
