"""Turn page furniture + blocks into a PDF file, atomically: a crash or error never leaves a half-written PDF.

The PDF is built into a temporary file in the target's own folder (same filesystem, so os.replace is atomic),
flushed to disk, then renamed over the target.
"""
from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from reportlab import rl_config
from reportlab.platypus import BaseDocTemplate, PageTemplate

from app.docs.blocks import Block, build_flowables
from app.docs.errors import DocumentWriteError
from app.docs.style import PAGE_SIZE, PageFurniture, body_frame, canvas_maker


# Page streams are Flate-compressed binary: the extra ASCII85 layer (for 7-bit mail transport) only costs time —
# about a third of a 10-page table-heavy document — and size. Process-wide, but the documents are ours alone.
rl_config.useA85 = 0


def render_document(furniture: PageFurniture, blocks: Iterable[Block], path: Path | str) -> Path:
    """Write the document to `path` and return it; raise DocumentWriteError when the target cannot be written."""
    target = Path(path)
    story = build_flowables(blocks)  # before touching the disk: a bad block must not leave a temp file behind
    # issue 11 hook: under an encrypted data dir the PDF is built in memory and written sealed (app.security.sealed_docs)
    from app.security.sealed_docs import cipher_for, write_document

    if cipher_for(target) is not None:
        import io

        buf = io.BytesIO()
        BaseDocTemplate(buf, pagesize=PAGE_SIZE, pageTemplates=[PageTemplate(id="house", frames=[body_frame()])],
                        title=furniture.title, author=furniture.author or furniture.agency_name,
                        subject=furniture.case_no, creator="一窗 Yichuang").build(story,
                                                                                 canvasmaker=canvas_maker(furniture))
        try:
            return write_document(target, buf.getvalue())
        except OSError as exc:
            raise _write_error(target, exc) from exc
    tmp = _create_temp(target)
    try:
        doc = BaseDocTemplate(
            str(tmp),
            pagesize=PAGE_SIZE,
            pageTemplates=[PageTemplate(id="house", frames=[body_frame()])],
            title=furniture.title,
            author=furniture.author or furniture.agency_name,
            subject=furniture.case_no,
            creator="一窗 Yichuang",
        )
        doc.build(story, canvasmaker=canvas_maker(furniture))
        _fsync_file(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        _discard(tmp)
        raise _write_error(target, exc) from exc
    except BaseException:
        _discard(tmp)
        raise
    _fsync_dir(target.parent)
    return target


def _create_temp(target: Path) -> Path:
    folder = target.parent
    if not folder.is_dir():
        # mkstemp's own error for a missing folder is confusing ("No such file" about a random name)
        code = errno.ENOTDIR if folder.exists() else errno.ENOENT
        raise _write_error(target, OSError(code, os.strerror(code), str(folder)))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise _write_error(target, exc) from exc
    os.close(fd)
    return Path(name)


def _write_error(target: Path, exc: OSError) -> DocumentWriteError:
    folder = target.parent
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        message = f"保存文书的文件夹不存在：{folder}"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        message = f"没有权限在文件夹中保存文书，请检查文件夹权限，或确认同名文件未被其他程序打开：{folder}"
    elif exc.errno == errno.ENOSPC:
        message = f"磁盘空间不足，无法保存文书：{folder}"
    else:
        message = f"无法保存文书到：{target}"
    return DocumentWriteError(message, f"{type(exc).__name__}: {exc} (target={target})")


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass  # best effort; the .part suffix marks it as debris


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    """Persist the rename itself; not possible on Windows (directories cannot be opened), where it is skipped."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def case_documents(folder: Path | str, case_no: str) -> list[Path]:
    """The PDFs of one case in the documents folder (named “<受理编号>-<文书>.pdf” by the screens and by the print
    preview), oldest first — the list to hand to the archive package (app.cases.archive.Archiver.package) at 办结."""
    root = Path(folder)
    if not root.is_dir():
        return []
    found = [p for p in root.glob(f"{case_no}-*.pdf") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))
