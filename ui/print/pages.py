"""PDF pages as images, through poppler's pdftoppm (PySide6-Essentials has no QtPdf). Blocking: call off the GUI
thread (ui.bridge.run_in_thread)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from app.errors import YichuangError

_translate = QCoreApplication.translate  # lupdate reads _translate("PrintPages", "…")

PREVIEW_DPI = 80
PRINT_DPI = 300


class PageRenderError(YichuangError):
    code = "page_render"


def pdftoppm() -> str:
    """The pdftoppm executable: on PATH, or shipped beside the client on Windows (poppler/bin)."""
    found = shutil.which("pdftoppm")
    if found:
        return found
    for folder in (Path(sys.executable).parent / "poppler" / "bin", Path(sys.prefix) / "poppler" / "bin"):
        candidate = folder / ("pdftoppm.exe" if sys.platform == "win32" else "pdftoppm")
        if candidate.exists():
            return str(candidate)
    raise PageRenderError(_translate("PrintPages", "缺少 PDF 渲染组件（poppler 的 pdftoppm），无法预览和打印，请联系管理员安装。"),
                          "pdftoppm not found on PATH")


def poppler_tool(name: str) -> str | None:
    """Another poppler utility (pdfinfo, pdfunite) where pdftoppm is found, or None."""
    found = shutil.which(name)
    if found:
        return found
    try:
        folder = Path(pdftoppm()).parent
    except PageRenderError:
        return None
    candidate = folder / (f"{name}.exe" if sys.platform == "win32" else name)
    return str(candidate) if candidate.exists() else None


def page_count(pdf: Path | str, timeout: float = 30) -> int | None:
    """Pages of `pdf` by pdfinfo (None when pdfinfo is missing or fails)."""
    tool = poppler_tool("pdfinfo")
    if tool is None:
        return None
    from app.security.sealed_docs import plain_copy  # issue 11 hook: a sealed PDF is read through a private copy

    try:
        with plain_copy(pdf) as plain:
            out = subprocess.run([tool, str(plain)], capture_output=True, timeout=timeout).stdout.decode(errors="replace")
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in out.splitlines():
        if line.startswith("Pages:") and line.split()[-1].isdigit():
            return int(line.split()[-1])
    return None


@dataclass(frozen=True)
class RenderedPages:
    pdf: Path
    dpi: int
    images: tuple[Path, ...]
    folder: Path   # temporary; the caller removes it when done (cleanup())

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def render_pages(pdf: Path | str, dpi: int = PREVIEW_DPI, *, gray: bool = False, timeout: float = 120) -> RenderedPages:
    """Every page of `pdf` as a PNG in a fresh temporary folder, in page order."""
    source = Path(pdf)
    if not source.is_file():
        raise PageRenderError(_translate("PrintPages", "找不到要打印的文书：{0}").format(source.name), f"missing {source}")
    folder = Path(tempfile.mkdtemp(prefix="yc-print-"))
    args = [pdftoppm(), "-r", str(dpi), "-png"]
    if gray:
        args.append("-gray")
    from app.security.sealed_docs import plain_copy  # issue 11 hook: a sealed PDF is read through a private copy

    try:
        with plain_copy(source) as plain:
            done = subprocess.run([*args, str(plain), str(folder / "page")], capture_output=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise PageRenderError(_translate("PrintPages", "文书页面渲染失败，请重试。"), f"pdftoppm: {exc!r}") from exc
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise PageRenderError(_translate("PrintPages", "文书无法打开（文件可能已损坏），请重新生成后再打印。"),
                              f"pdftoppm exit {done.returncode}: {done.stderr.decode(errors='replace')[:300]}")

    def page_number(path: Path) -> int:
        match = re.search(r"-(\d+)\.png$", path.name)
        return int(match.group(1)) if match else 0

    images = tuple(sorted(folder.glob("page*.png"), key=page_number))
    if not images:
        shutil.rmtree(folder, ignore_errors=True)
        raise PageRenderError(_translate("PrintPages", "文书没有可打印的页面。"), f"pdftoppm wrote nothing for {source}")
    return RenderedPages(source, dpi, images, folder)
