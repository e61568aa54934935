"""The thermal slips: the one handed over with a case (queue number, case number, item, deadline and a QR code to
check the status) and the 取号 ticket of the hall's queue (`QueueTicketSlip`: the number very large, the business, how
many wait ahead, when it was taken, the agency, a short note; no personal data) — laid out here once, rendered with the bundled CJK font into a 1-bit image exactly as wide as the printer's
head (576 dots on 80 mm paper, 384 on 58 mm), and wrapped into ESC/POS raster commands.

Rasterising the whole slip makes it print the same on every receipt printer, with or without a Chinese font ROM.
Sending goes through the receipt-printer device when one is given (devices.printer: `print_bytes`, which checks paper
and online state before and after), or as raw bytes to a network printer (tcp://host:9100)."""
from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from app.docs.style import qr_matrix
from app.docs.text import format_cn_datetime, to_shanghai

WIDTHS = (576, 384)
MARGIN = 8            # dots left and right (the head prints to the edge; paper tolerances need a little room)
BAND_ROWS = 255       # rows per GS v 0 command: small printers buffer no more


@dataclass(frozen=True)
class Slip:
    agency_name: str
    queue_no: str                 # 排队号, e.g. A023
    case_no: str                  # 受理编号
    item_name: str
    deadline_text: str            # e.g. “承诺办结：2026年12月09日” or “即时办结”
    qr_payload: str               # what the status check reads (no personal data: case number and id)
    printed_at: datetime          # aware
    window: str = ""              # 窗口, e.g. “3号窗口”
    status_text: str = ""         # e.g. 已受理
    hint: str = "扫码或凭受理编号查询办理进度，咨询电话 12333"

    def __post_init__(self) -> None:
        to_shanghai(self.printed_at)


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    source = resources.files("resources").joinpath("fonts", "wqy-microhei.ttc")
    with resources.as_file(source) as path:
        return ImageFont.truetype(str(path), size, index=0)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break a line by width, any character may end a line (Chinese text has no spaces)."""
    lines, current = [], ""
    for ch in text:
        if draw.textlength(current + ch, font=font) > width and current:
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    return lines or [""]


def _paper(width: int, height: int) -> tuple[Image.Image, ImageDraw.ImageDraw, float, int]:
    """A blank roll of `width` dots (58 or 80 mm paper), long enough for the content: canvas, pen, scale to the
    80 mm layout, printable width."""
    if width not in WIDTHS:
        raise ValueError(f"slip width must be one of {WIDTHS} dots, not {width}")
    canvas = Image.new("L", (width, height), 255)
    return canvas, ImageDraw.Draw(canvas), width / 576, width - 2 * MARGIN


def slip_image(slip: Slip, width: int = 576) -> Image.Image:
    """The slip as a 1-bit image `width` dots wide (mode "1": 0 = black)."""
    canvas, draw, scale, inner = _paper(width, 2400)
    y = 10

    def text(line: str, size: int, align: str = "left", gap: int = 6) -> None:
        nonlocal y
        font = _font(max(14, round(size * scale)))
        for part in _wrap(draw, line, font, inner):
            w = draw.textlength(part, font=font)
            x = MARGIN + {"left": 0, "center": (inner - w) / 2, "right": inner - w}[align]
            draw.text((x, y), part, font=font, fill=0)
            y += font.size + gap

    def rule(dashed: bool = True) -> None:
        nonlocal y
        y += 4
        step = 10 if dashed else 1
        for x in range(MARGIN, width - MARGIN, step):
            draw.line([(x, y), (min(x + (6 if dashed else 1), width - MARGIN), y)], fill=0, width=2)
        y += 10

    text(slip.agency_name, 26, "center")
    rule(False)
    text("排队号", 24, "center", gap=2)
    text(slip.queue_no, 96, "center", gap=4)
    if slip.window:
        text(f"请到 {slip.window} 办理", 26, "center")
    rule()
    text(f"受理编号：{slip.case_no}", 24)
    text(f"办理事项：{slip.item_name}", 24)
    if slip.status_text:
        text(f"办理状态：{slip.status_text}", 24)
    text(slip.deadline_text, 28, gap=8)
    rule()
    matrix = qr_matrix(slip.qr_payload)
    module = max(3, min(8, int(inner * 0.55) // (len(matrix) + 8)))
    side = module * len(matrix)
    x0, y0 = (width - side) // 2, y + 4 * module  # a quiet zone of four modules above
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                draw.rectangle([x0 + c * module, y0 + r * module, x0 + (c + 1) * module - 1,
                                y0 + (r + 1) * module - 1], fill=0)
    y = y0 + side + 4 * module
    text(slip.hint, 22, "center")
    text(f"打印时间：{format_cn_datetime(slip.printed_at)}", 20, "center")
    y += 16
    return canvas.crop((0, 0, width, y)).point(lambda v: 0 if v < 160 else 255, mode="1")


# --- 取号凭条 (queue ticket) ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueTicketSlip:
    """The 取号凭条 a lobby kiosk prints: nothing on it names the person."""

    agency_name: str
    number: str                   # 排队号, e.g. D007
    business: str                 # the business (series) chosen, e.g. 社会保障卡业务
    waiting_ahead: int | None     # people waiting before this number (None: unknown)
    taken_at: datetime            # aware
    note: str = "请留意大厅叫号屏和语音叫号；过号请重新取号。"
    terminal: str = ""            # e.g. 自助终端 T07

    def __post_init__(self) -> None:
        to_shanghai(self.taken_at)


@dataclass(frozen=True)
class TicketLine:
    text: str
    size: int                     # font size in dots on 80 mm paper (scaled for 58 mm)
    align: str = "center"
    rule_before: bool = False


def ticket_lines(ticket: QueueTicketSlip) -> list[TicketLine]:
    """The ticket's layout, top to bottom (what `ticket_image` draws; tests read the words here)."""
    ahead = (f"前面还有 {ticket.waiting_ahead} 人等候" if ticket.waiting_ahead is not None
             else "请留意叫号")
    lines = [TicketLine(ticket.agency_name, 26),
             TicketLine("排队号", 28, rule_before=True),
             TicketLine(ticket.number, 150),
             TicketLine(ticket.business, 34),
             TicketLine(ahead, 32, rule_before=True),
             TicketLine(f"取号时间：{format_cn_datetime(ticket.taken_at)}", 22)]
    if ticket.terminal:
        lines.append(TicketLine(ticket.terminal, 20))
    lines.append(TicketLine(ticket.note, 22, rule_before=True))
    return lines


def ticket_image(ticket: QueueTicketSlip, width: int = 576) -> Image.Image:
    """The ticket as a 1-bit image `width` dots wide (mode "1": 0 = black)."""
    canvas, draw, scale, inner = _paper(width, 1600)
    y = 10
    for line in ticket_lines(ticket):
        if line.rule_before:
            y += 6
            for x in range(MARGIN, width - MARGIN, 10):
                draw.line([(x, y), (min(x + 6, width - MARGIN), y)], fill=0, width=2)
            y += 14
        font = _font(max(14, round(line.size * scale)))
        for part in _wrap(draw, line.text, font, inner):
            left, top, right, bottom = draw.textbbox((0, 0), part, font=font)
            w = right - left
            x = MARGIN + {"left": 0, "center": (inner - w) / 2, "right": inner - w}[line.align] - left
            draw.text((x, y - top), part, font=font, fill=0)  # glyph tops aligned at y: big digits sit tight
            y += (bottom - top) + max(6, font.size // 5)
    y += 16
    return canvas.crop((0, 0, width, y)).point(lambda v: 0 if v < 160 else 255, mode="1")


def ticket_escpos(ticket: QueueTicketSlip, width: int = 576, *, cut: bool = True, feed_lines: int = 4) -> bytes:
    """The complete print job of a ticket: initialise, the ticket as one raster image, feed, cut."""
    return _job(ticket_image(ticket, width), cut=cut, feed_lines=feed_lines)


def print_ticket(ticket: QueueTicketSlip, printer: Any, *, width: int | None = None) -> Any:
    """Print a 取号凭条 like `print_slip` (a receipt-printer device or a tcp:// URL). Blocking."""
    if width is None:
        width = getattr(getattr(printer, "model", None), "width_dots", 576)
    return _send(ticket_escpos(ticket, width), printer)


def raster_commands(image: Image.Image) -> bytes:
    """GS v 0 raster bit-image commands for a 1-bit image (a set bit prints black), in bands of BAND_ROWS rows."""
    bw = image.convert("1")
    width, height = bw.size
    row_bytes = (width + 7) // 8
    # PIL packs mode "1" MSB first with 1 = white; ESC/POS wants 1 = black: invert every byte.
    packed = bytes(b ^ 0xFF for b in bw.tobytes())
    if width % 8:  # PIL pads each row with 0 bits, which inverting turns black: clear them
        mask = (0xFF << (8 - width % 8)) & 0xFF
        rows = bytearray(packed)
        for r in range(height):
            rows[r * row_bytes + row_bytes - 1] &= mask
        packed = bytes(rows)
    out = bytearray()
    for top in range(0, height, BAND_ROWS):
        rows = min(BAND_ROWS, height - top)
        out += b"\x1d\x76\x30\x00" + bytes([row_bytes & 0xFF, row_bytes >> 8, rows & 0xFF, rows >> 8])
        out += packed[top * row_bytes:(top + rows) * row_bytes]
    return bytes(out)


def slip_escpos(slip: Slip, width: int = 576, *, cut: bool = True, feed_lines: int = 4) -> bytes:
    """The complete print job: initialise, the slip as one full-width raster image, feed, cut."""
    return _job(slip_image(slip, width), cut=cut, feed_lines=feed_lines)


def _job(image: Image.Image, *, cut: bool, feed_lines: int) -> bytes:
    data = bytearray(b"\x1b\x40")                         # ESC @: initialise
    data += raster_commands(image)
    data += b"\x1b\x64" + bytes([max(0, min(feed_lines, 10))])  # ESC d n: feed n lines
    if cut:
        data += b"\x1d\x56\x42\x00"                        # GS V 66 0: feed to the cutter and cut (partial)
    return bytes(data)


def raster_image(data: bytes) -> Image.Image:
    """Read the GS v 0 bands of a print job back into one image (tests, and the support view of what was sent)."""
    bands: list[Image.Image] = []
    i = 0
    while True:
        i = data.find(b"\x1d\x76\x30", i)
        if i < 0:
            break
        xl, xh, yl, yh = data[i + 4:i + 8]
        row_bytes, rows = xl + 256 * xh, yl + 256 * yh
        body = data[i + 8:i + 8 + row_bytes * rows]
        bands.append(Image.frombytes("1", (row_bytes * 8, rows), bytes(b ^ 0xFF for b in body)))
        i += 8 + row_bytes * rows
    if not bands:
        raise ValueError("no raster image in the print job")
    out = Image.new("1", (bands[0].width, sum(b.height for b in bands)), 1)
    y = 0
    for band in bands:
        out.paste(band, (0, y))
        y += band.height
    return out


def send_raw(url: str, data: bytes, timeout: float = 5.0) -> int:
    """Send a job to a network receipt printer, url tcp://host[:port] (port 9100 by default)."""
    if not url.startswith("tcp://"):
        raise ValueError(f"only tcp://host:port printers are sent to directly, not {url!r}")
    host, _, port = url[6:].rstrip("/").partition(":")
    with socket.create_connection((host, int(port or 9100)), timeout=timeout) as conn:
        conn.sendall(data)
    return len(data)


def print_slip(slip: Slip, printer: Any, *, width: int | None = None) -> Any:
    """Print through a receipt-printer device (anything with `print_bytes`, e.g. devices.printer's
    ReceiptPrinterDevice, whose model gives the width) or straight to a tcp:// URL. Returns the device's result
    (or the byte count). Blocking: call it off the GUI thread."""
    if width is None:
        width = getattr(getattr(printer, "model", None), "width_dots", 576)
    return _send(slip_escpos(slip, width), printer)


def _send(data: bytes, printer: Any) -> Any:
    if hasattr(printer, "print_bytes"):
        return printer.print_bytes(data)
    if isinstance(printer, str):
        return send_raw(printer, data)
    raise TypeError(f"not a receipt printer: {printer!r}")
