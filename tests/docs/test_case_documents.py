"""The PDFs of a case, found in the documents folder for its archive package."""
from __future__ import annotations

import os
from pathlib import Path

from app.docs.blocks import Para, Title
from app.docs.render import case_documents, render_document
from app.docs.style import PageFurniture

FURNITURE = PageFurniture(agency_name="测试经办机构", title="受理回执")
BLOCKS = (Title("受理回执"), Para("正文"))


def test_case_documents(tmp_path: Path) -> None:
    first = render_document(FURNITURE, BLOCKS, tmp_path / "150102-T01-0001-受理回执.pdf")
    os.utime(first, (1_700_000_000, 1_700_000_000))
    second = render_document(FURNITURE, BLOCKS, tmp_path / "150102-T01-0001-参保登记表.pdf")
    render_document(FURNITURE, BLOCKS, tmp_path / "150102-T01-0002-受理回执.pdf")
    (tmp_path / "150102-T01-0001-受理回执.pdf.part").write_bytes(b"")  # debris of a crashed write is not a document
    assert case_documents(tmp_path, "150102-T01-0001") == [first, second]
    assert case_documents(tmp_path / "missing", "x") == []
