"""The generic document path: blocks + furniture → PDF, atomic writes, typed errors, font registration."""
from __future__ import annotations

import os
import re
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

import app.docs.style as style
from app.docs import render as render_module
from app.docs.blocks import Gap, Grid, Heading, KeyValues, Para, QRCode, Signatures, Title, Together
from app.docs.errors import DocumentError, DocumentWriteError
from app.docs.fonts import FONT_NAME, register_cjk_font
from app.docs.render import render_document
from app.docs.style import PageFurniture

CJK = re.compile(r"[\u4e00-\u9fff]")
FURNITURE = PageFurniture(
    agency_name="测试经办机构",
    title="一次性告知书",
    case_no="150102-T01-20261125-0001",
    operator_id="OP0001",
    qr_payload="YC|test",
    printed_at=datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc),
    reference_label="文书编号",
)
BLOCKS = (
    Title("一次性告知书"),
    Para("您申请办理的事项尚需补充以下材料：\n第二行 <原样> & 显示"),
    Heading("需补正材料"),
    Grid(header=("序号", "材料"), rows=(("1", "户口簿"),), widths=(1, 5), align=("center",)),
    Grid(header=("序号", "材料"), rows=(), empty_text="无需补正"),
    KeyValues((("甲", "一"), ("乙", "二"), ("丙", "三")), pairs_per_row=2),
    QRCode("YC|body", size_mm=25, caption="扫码核验"),
    Together((Gap(2), Para("注意事项", style="note"), Signatures(("申请人签字",)))),
)


def test_generic_document(tmp_path: Path, poppler) -> None:
    pdf = render_document(FURNITURE, BLOCKS, tmp_path / "notice.pdf")
    text = poppler.pdftotext(pdf)
    for expected in ("测试经办机构", "一次性告知书", "第二行 <原样> & 显示", "户口簿", "无需补正", "丙", "扫码核验",
                     "文书编号：150102-T01-20261125-0001", "打印时间：2026年01月02日 11:04", "第 1 页 / 共 1 页"):
        assert expected in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice.pdf"]  # no temp file left


def test_parent_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(DocumentWriteError) as caught:
        render_document(FURNITURE, BLOCKS, blocker / "out.pdf")
    assert isinstance(caught.value, DocumentError)
    assert CJK.search(caught.value.user_message)
    assert caught.value.detail


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DocumentWriteError) as caught:
        render_document(FURNITURE, BLOCKS, tmp_path / "nope" / "out.pdf")
    assert "不存在" in caught.value.user_message and "nope" in caught.value.user_message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permission bits")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(DocumentWriteError) as caught:
            render_document(FURNITURE, BLOCKS, folder / "out.pdf")
        assert "权限" in caught.value.user_message
        assert CJK.search(caught.value.user_message)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_replace_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """e.g. Windows, where a PDF open in a viewer cannot be replaced."""
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(render_module.os, "replace", refuse)
    with pytest.raises(DocumentWriteError) as caught:
        render_document(FURNITURE, BLOCKS, tmp_path / "out.pdf")
    assert "权限" in caught.value.user_message
    assert list(tmp_path.iterdir()) == []


def test_crash_mid_render_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"previous receipt")

    def crash(*args, **kwargs):
        raise RuntimeError("boom while painting the footer")

    monkeypatch.setattr(style, "paint_furniture", crash)  # fails after the temp file has been started
    with pytest.raises(RuntimeError, match="boom"):
        render_document(FURNITURE, BLOCKS, target)
    assert target.read_bytes() == b"previous receipt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_font_registration_idempotent_and_thread_safe() -> None:
    names: list[str] = []
    threads = [threading.Thread(target=lambda: names.append(register_cjk_font())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert names == [FONT_NAME] * 8
    assert register_cjk_font() == FONT_NAME
    assert pdfmetrics.getFont(FONT_NAME).fontName == FONT_NAME
