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
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus import PageBreak as RLPageBreak

from app.docs.style import (CONTENT_WIDTH, GRID, INK, LABEL_FILL, MUTED, draw_qr, grid_table_style, house_styles,
                            key_value_table_style)


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
    """A table with a header row repeated on every page it spans. widths are relative; align per column.

    dense=True: small type and plain (unwrapped) cells — for long numeric tables such as monthly contribution rows,
    where a Paragraph per cell would cost ten times the time. groups: an optional header row above `header`, as
    (label, column count); an empty label lets the header cell below take both rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    align: tuple[str, ...] = ()   # "left" (default), "center" or "right" per column
    empty_text: str = "无"
    dense: bool = False
    groups: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Cell:
    """One cell of a Layout. style names a house paragraph style; shade marks a label cell."""

    text: str = ""
    span: int = 1
    rowspan: int = 1
    style: str = "cell"
    shade: bool = False
    height_mm: float = 0  # minimum height of the cell's row (room to write by hand)


@dataclass(frozen=True)
class Layout:
    """A form table as data: rows of cells with column and row spans, placed like an HTML table."""

    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]     # relative column widths
    min_row_mm: float = 8         # every row at least this high, so a blank cell is a box to write in
    repeat_rows: int = 0


@dataclass(frozen=True)
class SignBox:
    """A box to sign (承诺 + 签章, 审核意见 + 经办人签章): a title, an optional printed text, a signature line."""

    title: str
    text: str = ""
    signer: str = "签字（盖章）"
    height_mm: float = 34


@dataclass(frozen=True)
class SignBoxes:
    boxes: tuple[SignBox, ...]
    per_row: int = 2


@dataclass(frozen=True)
class VerifyPanel:
    """A certificate's verification panel: its code, how to check it, and the QR code that leads to the check."""

    code: str
    url: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Seal:
    """落款 with the place of the official seal: agency name and date at the right, a dashed circle marking where
    the seal goes (an electronic seal image, if given, is drawn there instead)."""

    agency_name: str
    date_text: str
    label: str = "（业务专用章）"
    notes: tuple[str, ...] = ()   # small print set at the left of the seal (validity, how to verify)


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


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class CutLine:
    """A dashed line with a scissors note: the tear-off 回执 of a form."""

    text: str = "沿此线剪下"


Block = Union[Title, Heading, Para, KeyValues, Grid, Signatures, QRCode, Gap, Together, Layout, SignBoxes,
              VerifyPanel, Seal, PageBreak, CutLine]


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
        case Layout():
            return _layout(block)
        case SignBoxes():
            return _sign_boxes(block)
        case VerifyPanel():
            return _verify_panel(block)
        case Seal():
            return _seal(block)
        case PageBreak():
            return RLPageBreak()
        case CutLine(text):
            return _CutLineFlowable(text)
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
    if block.groups and sum(n for _label, n in block.groups) != columns:
        raise ValueError("grid groups must cover the header's columns")
    total = sum(weights)
    col_widths = [CONTENT_WIDTH * w / total for w in weights]
    aligns = [block.align[i] if i < len(block.align) else "left" for i in range(columns)]
    head_style = styles.cell_small_head if block.dense else styles.cell_head
    head = [Paragraph(markup(h), head_style) for h in block.header]
    commands = grid_table_style()
    header_rows = [head]
    if block.groups:
        top: list[object] = []
        col = 0
        for label, count in block.groups:
            if label:
                top += [Paragraph(markup(label), head_style)] + [""] * (count - 1)
                if count > 1:
                    commands.append(("SPAN", (col, 0), (col + count - 1, 0)))
            else:  # the header cells below take both rows
                for c in range(col, col + count):
                    top.append(head[c])
                    head[c] = ""
                    commands.append(("SPAN", (c, 0), (c, 1)))
            col += count
        header_rows = [top, head]
        commands.append(("BACKGROUND", (0, 1), (-1, 1), LABEL_FILL))
    first = len(header_rows)
    if block.dense and block.rows:
        header = Table(header_rows, colWidths=col_widths, hAlign="LEFT")
        header.setStyle(TableStyle(commands + [("LEFTPADDING", (0, 0), (-1, -1), 3),
                                               ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
        return _DenseGrid(header, tuple(block.rows), col_widths, tuple(aligns))
    if block.dense:
        body = [list(row) for row in block.rows]
        commands += [
            ("FONT", (0, first), (-1, -1), styles.cell_small.fontName, styles.cell_small.fontSize),
            ("TOPPADDING", (0, first), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, first), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        for c, how in enumerate(aligns):
            if how != "left":
                commands.append(("ALIGN", (c, first), (c, -1), how.upper()))
    else:
        cell_style = {"left": styles.cell, "center": styles.cell_center, "right": _right(styles.cell)}
        body = [[Paragraph(markup(v), cell_style[aligns[i]]) for i, v in enumerate(row)] for row in block.rows]
    if not body:
        body = [[Paragraph(markup(block.empty_text), styles.cell_center)] + [""] * (columns - 1)]
        commands.append(("SPAN", (0, first), (-1, first)))
    table = Table([*header_rows, *body], colWidths=col_widths, repeatRows=first, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


class _DenseGrid(Flowable):
    """A long table of short plain cells (numbers, months) drawn directly: one grid path and one text object per
    page instead of a Table's per-cell machinery — a 10-page contribution record renders in a fraction of the time.
    Splits between rows; the header (a small Table) is repeated at the top of every page."""

    ROW_HEIGHT = 12.5
    PAD = 3

    def __init__(self, header: Table, rows: tuple[tuple[str, ...], ...], col_widths: list[float],
                 aligns: tuple[str, ...]):
        super().__init__()
        self.header, self.rows, self.col_widths, self.aligns = header, rows, col_widths, aligns
        self._header_h = 0.0
        self.width = sum(col_widths)

    def _head(self, avail_width: float) -> float:
        if not self._header_h:
            _w, self._header_h = self.header.wrap(avail_width, 10_000)
        return self._header_h

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.height = self._head(avail_width) + len(self.rows) * self.ROW_HEIGHT
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit = int((avail_height - self._head(avail_width)) // self.ROW_HEIGHT)
        if fit < 1:
            return []  # not even one row: the whole table goes to the next page
        if fit >= len(self.rows):
            return [self]
        first = _DenseGrid(self.header, self.rows[:fit], self.col_widths, self.aligns)
        rest = _DenseGrid(self.header, self.rows[fit:], self.col_widths, self.aligns)
        first._header_h = rest._header_h = self._header_h
        return [first, rest]

    def draw(self) -> None:
        canv = self.canv
        styles = house_styles()
        font_name, size = styles.cell_small.fontName, styles.cell_small.fontSize
        head_h = self._head(self.width)
        self.header.drawOn(canv, 0, self.height - head_h)
        body_top = self.height - head_h
        edges = [0.0]
        for w in self.col_widths:
            edges.append(edges[-1] + w)
        canv.saveState()
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.5)
        # the rules as raw path operators: ReportLab's path API formats every coordinate through a slow routine
        ops = [f"0 {body_top - i * self.ROW_HEIGHT:.2f} m {self.width:.2f} {body_top - i * self.ROW_HEIGHT:.2f} l"
               for i in range(1, len(self.rows) + 1)]
        ops += [f"{x:.2f} {body_top:.2f} m {x:.2f} 0 l" for x in edges]
        canv._code.append(" ".join(ops) + " S")
        canv.setFillColor(INK)
        items = []
        width_of = _text_widths(canv, font_name, size)
        baseline = (self.ROW_HEIGHT - size * 0.72) / 2  # the digits' cap height centred in the row
        for i, row in enumerate(self.rows):
            y = body_top - (i + 1) * self.ROW_HEIGHT + baseline
            for c, text in enumerate(row):
                if not text:
                    continue
                how = self.aligns[c]
                if how == "right":
                    x = edges[c + 1] - self.PAD - width_of(text)
                elif how == "center":
                    x = (edges[c] + edges[c + 1] - width_of(text)) / 2
                else:
                    x = edges[c] + self.PAD
                items.append((x, y, text))
        _emit_text(canv, font_name, size, items)
        canv.restoreState()


def _text_widths(canv, font_name: str, size: float):
    cache = canv.__dict__.setdefault("_yc_widths", {})
    font = pdfmetrics.getFont(font_name)

    def width_of(text: str) -> float:
        key = (font_name, size, text)
        w = cache.get(key)
        if w is None:
            w = cache[key] = font.stringWidth(text, size)
        return w

    return width_of


def _emit_text(canv, font_name: str, size: float, items: list[tuple[float, float, str]]) -> None:
    """Write many short strings at given positions as one PDF text object. Same output as drawString per cell
    (the font's subset encoding via splitString), without its per-call overhead; each string's encoding is cached
    per canvas, i.e. per document, where the subset assignment is stable."""
    font = pdfmetrics.getFont(font_name)
    doc = canv._doc
    cache = canv.__dict__.setdefault("_yc_split", {})
    code = ["BT"]
    current = None
    for x, y, text in items:
        parts = cache.get((font_name, text))
        if parts is None:
            parts = cache[(font_name, text)] = [(subset, canv._escape(t)) for subset, t in font.splitString(text, doc)]
        code.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        for subset, escaped in parts:
            if subset != current:
                code.append(f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf")
                current = subset
            code.append(f"({escaped}) Tj")
    code.append("ET")
    canv._code.append(" ".join(code))


def _right(style):
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(style.name + "-right", parent=style, alignment=TA_RIGHT)


def _layout(block: Layout) -> Flowable:
    """Place cells like an HTML table: each cell takes the next free slot of its row, spans reserve slots below."""
    styles = house_styles()
    columns = len(block.widths)
    total = sum(block.widths)
    col_widths = [CONTENT_WIDTH * w / total for w in block.widths]
    taken: set[tuple[int, int]] = set()
    data: list[list[object]] = [["" for _ in range(columns)] for _ in block.rows]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("BOX", (0, 0), (-1, -1), 1.0, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("FONT", (0, 0), (-1, -1), styles.cell.fontName, 10),
    ]
    heights = [block.min_row_mm * mm] * len(block.rows)
    need = [0.0] * len(block.rows)
    for r, row in enumerate(block.rows):
        c = 0
        for cell in row:
            while c < columns and (r, c) in taken:
                c += 1
            if c + cell.span > columns or r + cell.rowspan > len(block.rows):
                raise ValueError(f"layout row {r}: cell {cell.text!r} does not fit ({columns} columns)")
            if cell.text:
                para = Paragraph(markup(cell.text), styles.named(cell.style))
                data[r][c] = para
                if cell.rowspan == 1:  # what the text needs in the width it really has (its span)
                    _w, h = para.wrap(sum(col_widths[c:c + cell.span]) - 8, 10_000)
                    need[r] = max(need[r], h + 6)
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.span):
                    taken.add((rr, cc))
            if cell.span > 1 or cell.rowspan > 1:
                commands.append(("SPAN", (c, r), (c + cell.span - 1, r + cell.rowspan - 1)))
            if cell.shade:
                commands.append(("BACKGROUND", (c, r), (c + cell.span - 1, r + cell.rowspan - 1), LABEL_FILL))
            if cell.height_mm:
                heights[r] = max(heights[r], cell.height_mm * mm / cell.rowspan)
            c += cell.span
    # a row at least its minimum, more when its text needs it
    row_heights = [max(heights[r], need[r]) if heights[r] else None for r in range(len(data))]
    table = Table(data, colWidths=col_widths, rowHeights=row_heights, repeatRows=block.repeat_rows, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _sign_boxes(block: SignBoxes) -> Flowable:
    styles = house_styles()
    per_row = max(1, block.per_row)
    width = CONTENT_WIDTH / per_row
    cells = []
    for box in block.boxes:
        inner = [[Paragraph(markup(box.title), styles.box_title)],
                 [Paragraph(markup(box.text), styles.note) if box.text else ""],
                 [Paragraph(markup(f"{box.signer}：") + "&nbsp;" * 26 + "年&nbsp;&nbsp;&nbsp;&nbsp;月"
                            "&nbsp;&nbsp;&nbsp;&nbsp;日", styles.cell)]]
        body_h = box.height_mm * mm - 2 * 17
        table = Table(inner, colWidths=[width - 2], rowHeights=[17, max(body_h, 10), 17])
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), styles.cell.fontName, 10),  # a cell's default font, even for flowables
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("VALIGN", (0, 2), (0, 2), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        cells.append(table)
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    if rows and len(rows[-1]) < per_row:
        rows[-1] += [""] * (per_row - len(rows[-1]))
    outer = Table(rows, colWidths=[width] * per_row, hAlign="LEFT")
    outer.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles.cell.fontName, 10),
        ("GRID", (0, 0), (-1, -1), 0.6, GRID), ("BOX", (0, 0), (-1, -1), 1.0, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return outer


def _verify_panel(block: VerifyPanel) -> Flowable:
    styles = house_styles()
    qr = 30 * mm
    text = [Paragraph(markup("验证码"), styles.note),
            Paragraph(markup(block.code), styles.named("heading")),
            *[Paragraph(markup(line), styles.note) for line in block.lines],
            Paragraph(markup(block.url), styles.note)]
    table = Table([[text, _QRFlowable(block.url, qr, "")]], colWidths=[CONTENT_WIDTH - qr - 10 * mm, qr + 10 * mm],
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles.cell.fontName, 10),
        ("BOX", (0, 0), (-1, -1), 0.8, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _seal(block: Seal) -> Flowable:
    if not block.notes:
        return _SealFlowable(block)
    styles = house_styles()
    notes = [Paragraph(markup(n), styles.note) for n in block.notes]
    name_w = stringWidth(block.agency_name, styles.sign_off.fontName, styles.sign_off.fontSize)
    right = max(62 * mm, name_w + 10 * mm)
    table = Table([[notes, _SealFlowable(block)]], colWidths=[CONTENT_WIDTH - right, right], hAlign="LEFT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), styles.cell.fontName, 10),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (0, 0), 6 * mm),
                               ("RIGHTPADDING", (1, 0), (1, 0), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return table


class _SealFlowable(Flowable):
    """Agency name and date at the right, the dashed circle of the seal over them (as a seal is set on paper)."""

    def __init__(self, seal: Seal):
        super().__init__()
        self.seal = seal
        self.height_pt = 40 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width_pt = avail_width
        return avail_width, self.height_pt

    def draw(self) -> None:
        styles = house_styles()
        c = self.canv
        font, size = styles.sign_off.fontName, styles.sign_off.fontSize
        right = self.width_pt
        c.setFont(font, size)
        c.setFillColor(INK)
        name_w = stringWidth(self.seal.agency_name, font, size)
        c.drawRightString(right, 16 * mm, self.seal.agency_name)
        c.drawRightString(right, 16 * mm - 18, self.seal.date_text)
        cx, cy, radius = right - max(name_w, 40 * mm) / 2, 19 * mm, 19 * mm
        c.saveState()
        c.setStrokeColor(GRID)
        c.setDash(3, 3)
        c.setLineWidth(0.6)
        c.circle(cx, cy, radius)
        c.setFillColor(GRID)
        c.setFont(font, 8)
        c.drawCentredString(cx, cy + radius - 12, self.seal.label)
        c.restoreState()


class _CutLineFlowable(Flowable):
    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width_pt = avail_width
        return avail_width, 8 * mm

    def draw(self) -> None:
        styles = house_styles()
        c = self.canv
        y = 4 * mm
        font = styles.note.fontName
        label = self.text
        label_w = stringWidth(label, font, 8) + 8
        c.saveState()
        c.setStrokeColor(GRID)
        c.setDash(4, 3)
        c.line(0, y, (self.width_pt - label_w) / 2, y)
        c.line((self.width_pt + label_w) / 2, y, self.width_pt, y)
        c.setFillColor(MUTED)
        c.setFont(font, 8)
        c.drawCentredString(self.width_pt / 2, y - 3, label)
        c.restoreState()


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
