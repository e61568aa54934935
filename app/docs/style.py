"""The house style of every printed document: A4 geometry, CJK paragraph styles, table looks, and the page furniture
(header with agency, title and QR code; footer with case number, operator, print time and “第 x 页 / 共 y 页”).

Forms do not draw on the canvas themselves: they describe content with app.docs.blocks and pass a PageFurniture.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timezone
from functools import lru_cache, partial
from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame

from app.docs.fonts import register_cjk_font
from app.docs.text import format_cn_datetime

# Geometry (points). The header band holds a QR code, so the body frame starts well below the top edge.
PAGE_SIZE = A4
PAGE_WIDTH, PAGE_HEIGHT = PAGE_SIZE
MARGIN_X = 18 * mm
HEADER_TOP = PAGE_HEIGHT - 12 * mm
QR_SIZE = 20 * mm
HEADER_RULE_Y = HEADER_TOP - QR_SIZE - 2 * mm
MARGIN_TOP = PAGE_HEIGHT - HEADER_RULE_Y + 6 * mm
FOOTER_RULE_Y = 17 * mm
FOOTER_TEXT_Y = 12 * mm
MARGIN_BOTTOM = FOOTER_RULE_Y + 5 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#7a7a7a")
GRID = colors.HexColor("#9a9a9a")
LABEL_FILL = colors.HexColor("#efefef")


@dataclass(frozen=True)
class PageFurniture:
    """What the header and footer of every page show; one instance per document."""

    agency_name: str                 # 经办机构
    title: str                       # document title, repeated in the header of every page
    case_no: str = ""                # 受理编号 (or another reference, see reference_label)
    operator_id: str = ""
    qr_payload: str = ""             # empty → no QR code
    printed_at: datetime | None = None  # aware; None → now
    agency_code: str = ""
    reference_label: str = "受理编号"
    author: str = ""                 # PDF metadata; defaults to agency_name

    def print_time(self) -> datetime:
        return self.printed_at or datetime.now(timezone.utc)


@dataclass(frozen=True)
class HouseStyles:
    """Paragraph styles; every one uses the embedded CJK font and CJK line breaking."""

    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_label: ParagraphStyle
    cell_head: ParagraphStyle
    sign_off: ParagraphStyle  # 落款: issuing agency and date, right-aligned under the signatures
    cell_small: ParagraphStyle       # dense tables (monthly contribution rows)
    cell_small_head: ParagraphStyle
    cell_num: ParagraphStyle         # amounts in dense form tables, right-aligned
    form_label: ParagraphStyle       # appendix forms: label cells
    form_value: ParagraphStyle       # appendix forms: pre-filled values
    form_date: ParagraphStyle        # appendix forms: a blank “年 月 日” to fill, right-aligned
    box_title: ParagraphStyle        # signature / opinion boxes
    emphasis: ParagraphStyle         # a certificate's 兹证明 text

    def named(self, name: str) -> ParagraphStyle:
        """Look a style up by the name a block gives (“body”, “note”, …)."""
        if name not in {f.name for f in fields(self)}:
            raise KeyError(f"no paragraph style named {name!r}")
        return getattr(self, name)


@lru_cache(maxsize=1)
def house_styles() -> HouseStyles:
    font = register_cjk_font()
    # wordWrap="CJK" lets lines break between any two Hanzi; without it a long Chinese run overflows the frame.
    base = ParagraphStyle("yc-base", fontName=font, fontSize=10.5, leading=15, textColor=INK, wordWrap="CJK")

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return HouseStyles(
        title=derive("yc-title", fontSize=20, leading=26, alignment=TA_CENTER, spaceBefore=2, spaceAfter=12),
        heading=derive("yc-heading", fontSize=12.5, leading=17, spaceBefore=10, spaceAfter=5),
        body=derive("yc-body", spaceAfter=4),
        note=derive("yc-note", fontSize=9, leading=13, textColor=MUTED, spaceAfter=2),
        cell=derive("yc-cell", fontSize=10, leading=14),
        cell_center=derive("yc-cell-center", fontSize=10, leading=14, alignment=TA_CENTER),
        cell_label=derive("yc-cell-label", fontSize=10, leading=14, textColor=MUTED, alignment=TA_LEFT),
        cell_head=derive("yc-cell-head", fontSize=10, leading=14, alignment=TA_CENTER),
        sign_off=derive("yc-sign-off", fontSize=11, leading=17, alignment=TA_RIGHT),
        cell_small=derive("yc-cell-small", fontSize=8.5, leading=11),
        cell_small_head=derive("yc-cell-small-head", fontSize=8.5, leading=10.5, alignment=TA_CENTER),
        cell_num=derive("yc-cell-num", fontSize=8.5, leading=11, alignment=TA_RIGHT),
        form_label=derive("yc-form-label", fontSize=10, leading=13, alignment=TA_CENTER),
        form_value=derive("yc-form-value", fontSize=10.5, leading=14),
        form_date=derive("yc-form-date", fontSize=10, leading=14, alignment=TA_RIGHT, textColor=MUTED),
        box_title=derive("yc-box-title", fontSize=10.5, leading=15),
        emphasis=derive("yc-emphasis", fontSize=12, leading=20, firstLineIndent=24, spaceAfter=4),
    )


CELL_PADDING = 4


def key_value_table_style(pairs_per_row: int, rows: int) -> list[tuple]:
    """Label cells shaded, a light grid, generous padding."""
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), register_cjk_font(), 10),  # plain-string cells would default to Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING + 1),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING + 1),
    ]
    for pair in range(pairs_per_row):
        commands.append(("BACKGROUND", (2 * pair, 0), (2 * pair, rows - 1), LABEL_FILL))
    return commands


def grid_table_style() -> list[tuple]:
    """Header row shaded and repeated on each page (repeatRows is set by the block), a light grid."""
    return [
        ("FONT", (0, 0), (-1, -1), register_cjk_font(), 10),  # plain-string cells would default to Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING - 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING - 1),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING + 1),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING + 1),
    ]


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR modules for a payload (error correction M, no quiet zone: the white page provides it)."""
    return [list(row) for row in _qr_rows(payload)]


@lru_cache(maxsize=256)
def _qr_rows(payload: str) -> tuple[tuple[bool, ...], ...]:
    # Cached: the header repeats the code on every page. zxing-cpp encodes in about a millisecond; the pure-Python
    # encoder spends ~30 ms choosing a mask pattern, most of a receipt's time budget, so it is only the fallback.
    try:
        import zxingcpp

        import numpy

        image = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_image(
            scale=1, add_quiet_zones=False)
        dark = numpy.asarray(image) < 128  # one byte per module, 0 = dark
        return tuple(tuple(bool(v) for v in row) for row in dark)
    except (ImportError, AttributeError, TypeError, ValueError):
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
        code.add_data(payload)
        code.make(fit=True)
        return tuple(tuple(row) for row in code.get_matrix())


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw a QR code as vector squares with its lower-left corner at (x, y); sharp at any print resolution."""
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.translate(x, y)
    # The page operators are written directly (one rectangle per horizontal run of dark modules), cached per
    # payload and size: the header repeats the code on every page, and ReportLab's path API formats each number
    # through a slow pure-Python routine.
    canvas._code.append(_qr_operators(payload, round(size, 3)))
    canvas.restoreState()


@lru_cache(maxsize=64)
def _qr_operators(payload: str, size: float) -> str:
    matrix = _qr_rows(payload)
    module = size / len(matrix)
    ops = []
    for row_index, row in enumerate(matrix):
        top = size - (row_index + 1) * module
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            ops.append(f"{start * module:.3f} {top:.3f} {(col - start) * module:.3f} {module:.3f} re")
    ops.append("f")
    return " ".join(ops)


def qr_origin() -> tuple[float, float]:
    """Lower-left corner of the header QR code (tests sample the rendered page here)."""
    return PAGE_WIDTH - MARGIN_X - QR_SIZE, HEADER_TOP - QR_SIZE


def paint_furniture(canvas: Canvas, furniture: PageFurniture, page: int, pages: int) -> None:
    """Header and footer of one page; called once the page count is known."""
    font = register_cjk_font()
    canvas.saveState()
    text_right = PAGE_WIDTH - MARGIN_X - (QR_SIZE + 4 * mm if furniture.qr_payload else 0)

    canvas.setFillColor(INK)
    canvas.setFont(font, 12)
    canvas.drawString(MARGIN_X, HEADER_TOP - 12, _fit(furniture.agency_name, font, 12, text_right - MARGIN_X))
    subtitle = furniture.title
    if furniture.agency_code:
        subtitle += f"　　机构编码：{furniture.agency_code}"
    canvas.setFillColor(MUTED)
    canvas.setFont(font, 9)
    canvas.drawString(MARGIN_X, HEADER_TOP - 28, _fit(subtitle, font, 9, text_right - MARGIN_X))
    if furniture.qr_payload:
        qx, qy = qr_origin()
        draw_qr(canvas, furniture.qr_payload, qx, qy, QR_SIZE)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN_X, HEADER_RULE_Y, PAGE_WIDTH - MARGIN_X, HEADER_RULE_Y)

    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, FOOTER_RULE_Y, PAGE_WIDTH - MARGIN_X, FOOTER_RULE_Y)
    canvas.setFont(font, 8)
    canvas.setFillColor(MUTED)
    parts = []
    if furniture.case_no:
        parts.append(f"{furniture.reference_label}：{furniture.case_no}")
    if furniture.operator_id:
        parts.append(f"经办人：{furniture.operator_id}")
    parts.append(f"打印时间：{format_cn_datetime(furniture.print_time())}")
    page_text = f"第 {page} 页 / 共 {pages} 页"
    # A little character spacing: the font's space is only 0.26 em, which text extractors (pdftotext -layout,
    # screen readers) treat as no space at all; 1 pt keeps "第 1 页 / 共 3 页" searchable as printed.
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, FOOTER_TEXT_Y, page_text, charSpace=1)
    left_room = CONTENT_WIDTH - canvas.stringWidth(page_text, font, 8) - len(page_text) - 6 * mm
    canvas.drawString(MARGIN_X, FOOTER_TEXT_Y, _fit("　".join(parts), font, 8, left_room))
    canvas.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Cut a one-line header/footer text with an ellipsis rather than let it run into the QR code or page number."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


class FurnitureCanvas(Canvas):
    """A canvas that holds every page back until the end, so each footer can say “共 y 页”.

    The usual ReportLab “NumberedCanvas” recipe: showPage() only records the page state; save() replays each page,
    paints the furniture with the final count, then emits it.
    """

    def __init__(self, *args: Any, furniture: PageFurniture, **kwargs: Any):
        # Start every page in the CJK font: the default Helvetica would be listed in the PDF as a non-embedded font.
        # (DocTemplate passes initialFontName=None explicitly, hence no setdefault.)
        kwargs["initialFontName"] = kwargs.get("initialFontName") or register_cjk_font()
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            paint_furniture(self, self._furniture, number, pages)
            super().showPage()
        super().save()


def body_frame() -> Frame:
    """The body area between header and footer. No inner padding, so tables of CONTENT_WIDTH align with the rules."""
    return Frame(
        MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
    )


def canvas_maker(furniture: PageFurniture) -> Any:
    """The canvasmaker to hand to DocTemplate.build()."""
    return partial(FurnitureCanvas, furniture=furniture)
