"""Document content as data: small frozen block types that forms compose, and their translation into Platypus
flowables in the house style.

A form is then a function from its record to (PageFurniture, blocks); it never touches ReportLab directly, so new
forms (告知书, 通知书, certificates) — or forms loaded from a catalog file later — reuse one look.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Union
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.docs.style import CONTENT_WIDTH, GRID, draw_qr, grid_table_style, house_styles, key_value_table_style


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    """Plain text (never markup: user data is escaped); line breaks are kept. style: body, note, …"""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class KeyValues:
    """Label/value rows; pairs_per_row=2 sets two pairs side by side."""

    rows: tuple[tuple[str, str], ...]
    pairs_per_row: int = 1
    label_width_mm: float = 26


@dataclass(frozen=True)
class Grid:
    """A table with a header row repeated on every page it spans. widths are relative; align per column."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    align: tuple[str, ...] = ()   # "left" (default) or "center" per column
    empty_text: str = "无"


@dataclass(frozen=True)
class Signatures:
    """Blank lines to sign on, e.g. ("申请人签字", "经办人签字")."""

    labels: tuple[str, ...]


@dataclass(frozen=True)
class QRCode:
    """A QR code in the body (certificates and the like); every page also carries one in the header."""

    payload: str
    size_mm: float = 30
    caption: str = ""


@dataclass(frozen=True)
class Gap:
    height_mm: float


@dataclass(frozen=True)
class Together:
    """Blocks that must not be split across a page break (e.g. hint + signatures)."""

    blocks: tuple["Block", ...]


Block = Union[Title, Heading, Para, KeyValues, Grid, Signatures, QRCode, Gap, Together]


def markup(text: str) -> str:
    """Plain text → Paragraph markup: escape &, <, > (names like “A&B公司” would otherwise break the parser)."""
    return escape(text).replace("\n", "<br/>")


def build_flowables(blocks: Iterable[Block]) -> list[Flowable]:
    return [_flowable(block) for block in blocks]


def _flowable(block: Block) -> Flowable:
    styles = house_styles()
    match block:
        case Title(text):
            return Paragraph(markup(text), styles.title)
        case Heading(text):
            return Paragraph(markup(text), styles.heading)
        case Para(text, style):
            return Paragraph(markup(text), styles.named(style))
        case KeyValues():
            return _key_values(block)
        case Grid():
            return _grid(block)
        case Signatures(labels):
            return _signatures(labels)
        case QRCode(payload, size_mm, caption):
            return _QRFlowable(payload, size_mm * mm, caption)
        case Gap(height_mm):
            return Spacer(1, height_mm * mm)
        case Together(inner):
            return KeepTogether(build_flowables(inner))
    raise TypeError(f"not a document block: {block!r}")


def _key_values(block: KeyValues) -> Flowable:
    styles = house_styles()
    per_row = max(1, block.pairs_per_row)
    label_w = block.label_width_mm * mm
    value_w = CONTENT_WIDTH / per_row - label_w
    cells = [(Paragraph(markup(k), styles.cell_label), Paragraph(markup(v), styles.cell)) for k, v in block.rows]
    if not cells:
        cells = [(Paragraph("无", styles.cell_label), "")]
    short = -len(cells) % per_row  # pairs missing from the last row
    cells += [("", "")] * short
    data = [[c for pair in cells[i:i + per_row] for c in pair] for i in range(0, len(cells), per_row)]
    table = Table(data, colWidths=[label_w, value_w] * per_row, hAlign="LEFT")
    commands = key_value_table_style(per_row, len(data))
    if short:  # the last value stretches over the empty pairs, which are left unshaded
        last, first_empty = len(data) - 1, 2 * (per_row - short)
        commands += [
            ("SPAN", (first_empty - 1, last), (-1, last)),
            ("BACKGROUND", (first_empty, last), (-1, last), colors.white),
        ]
    table.setStyle(TableStyle(commands))
    return table


def _grid(block: Grid) -> Flowable:
    styles = house_styles()
    columns = len(block.header)
    weights = block.widths or (1.0,) * columns
    if len(weights) != columns or any(len(row) != columns for row in block.rows):
        raise ValueError("grid rows and widths must match the header's column count")
    total = sum(weights)
    col_widths = [CONTENT_WIDTH * w / total for w in weights]
    centered = [i < len(block.align) and block.align[i] == "center" for i in range(columns)]
    head = [Paragraph(markup(h), styles.cell_head) for h in block.header]
    body = [
        [Paragraph(markup(v), styles.cell_center if centered[i] else styles.cell) for i, v in enumerate(row)]
        for row in block.rows
    ]
    commands = grid_table_style()
    if not body:
        body = [[Paragraph(markup(block.empty_text), styles.cell_center)] + [""] * (columns - 1)]
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table = Table([head, *body], colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _signatures(labels: Sequence[str]) -> Flowable:
    styles = house_styles()
    font, size = styles.body.fontName, styles.body.fontSize
    gap = 10 * mm
    slot = (CONTENT_WIDTH - gap * (len(labels) - 1)) / max(1, len(labels))
    row: list[object] = []
    widths: list[float] = []
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), font, size),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for index, label in enumerate(labels):
        text = f"{label}："
        label_w = stringWidth(text, font, size) + 2
        if index:
            row.append("")
            widths.append(gap)
        line_col = len(row) + 1
        row += [text, ""]
        widths += [label_w, slot - label_w]
        commands.append(("LINEBELOW", (line_col, 0), (line_col, 0), 0.6, GRID))
    table = Table([row], colWidths=widths, rowHeights=[12 * mm], hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


class _QRFlowable(Flowable):
    def __init__(self, payload: str, size: float, caption: str):
        super().__init__()
        self.payload, self.size, self.caption = payload, size, caption
        self.caption_h = 14 if caption else 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size + self.caption_h

    def draw(self) -> None:
        draw_qr(self.canv, self.payload, 0, self.caption_h, self.size)
        if self.caption:
            note = house_styles().note
            self.canv.setFont(note.fontName, note.fontSize)
            self.canv.setFillColor(note.textColor)
            self.canv.drawCentredString(self.size / 2, 2, self.caption)
