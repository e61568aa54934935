"""Build the ESC/POS bytes of a slip. Chinese text goes either as GB18030 inside FS & … FS . (printers with a
Chinese font ROM) or rendered with the bundled CJK font into a 1-bit raster image (printers without one, or for
exact layout). python-escpos' own text() would send GB18030 without FS & and mangle ¥ (toolchain.md §5)."""
from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from functools import lru_cache

log = logging.getLogger(__name__)

FS_KANJI_ON, FS_KANJI_OFF = b"\x1c\x26", b"\x1c\x2e"


@dataclass(frozen=True)
class PrinterModel:
    name: str
    width_dots: int  # 576 for 80 mm paper, 384 for 58 mm
    chinese: str  # "gb18030" | "raster"
    qr_native: bool = True  # GS ( k; else the QR is sent as an image
    chars_per_line: int = 48  # Latin characters (Chinese take two)


MODELS = {
    "generic-80": PrinterModel("generic-80", 576, "gb18030", True, 48),
    "generic-58": PrinterModel("generic-58", 384, "gb18030", True, 32),
    "raster-80": PrinterModel("raster-80", 576, "raster", False, 48),
    "raster-58": PrinterModel("raster-58", 384, "raster", False, 32),
    "xprinter-xp80t": PrinterModel("xprinter-xp80t", 576, "gb18030", True, 48),
    "epson-tm-t20iii": PrinterModel("epson-tm-t20iii", 576, "raster", True, 48),  # no Chinese ROM outside China
}


def model_for(name: str, chinese: str = "auto") -> PrinterModel:
    base = MODELS.get(name) or MODELS["generic-80"]
    if chinese in ("gb18030", "raster") and chinese != base.chinese:
        return PrinterModel(base.name, base.width_dots, chinese, base.qr_native, base.chars_per_line)
    return base


@dataclass
class Line:
    text: str
    align: str = "left"  # left / center / right
    bold: bool = False
    double: bool = False


@dataclass
class Slip:
    lines: list[Line] = field(default_factory=list)
    qr: str | None = None
    qr_caption: str = ""
    feed: int = 5

    def add(self, text: str, **kw) -> "Slip":
        self.lines.append(Line(text, **kw))
        return self

    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


def normalise(text: str) -> str:
    # ¥ (U+00A5) becomes a 4-byte GB18030 sequence GBK printers print as garbage; the full-width ￥ is 2 bytes.
    return text.replace("¥", "￥")


@lru_cache(maxsize=4)
def _font(size: int):
    from importlib import resources

    from PIL import ImageFont

    src = resources.files("resources").joinpath("fonts", "wqy-microhei.ttc")
    with resources.as_file(src) as path:
        return ImageFont.truetype(str(path), size=size, index=0)


def render_lines(lines: list[Line], width: int):
    """A 1-bit image of the lines, `width` dots wide (raster mode)."""
    from PIL import Image, ImageDraw

    rows = []
    for ln in lines:
        size = 48 if ln.double else 24
        font = _font(size)
        text = normalise(ln.text) or " "
        box = font.getbbox(text)
        h = size + 8
        img = Image.new("1", (width, h), 1)
        draw = ImageDraw.Draw(img)
        tw = box[2] - box[0]
        x = {"center": (width - tw) // 2, "right": width - tw}.get(ln.align, 0)
        draw.text((max(0, x), 2), text, font=font, fill=0)
        if ln.bold:
            draw.text((max(0, x) + 1, 2), text, font=font, fill=0)
        rows.append(img)
    out = Image.new("1", (width, sum(r.height for r in rows) or 1), 1)
    y = 0
    for r in rows:
        out.paste(r, (0, y))
        y += r.height
    return out


def build(slip: Slip, model: PrinterModel) -> bytes:
    from escpos.printer import Dummy

    import copy

    p = Dummy()
    # python-escpos prints (to stdout!) a warning for images when the profile has no paper width: give it ours.
    data = copy.deepcopy(p.profile.profile_data)
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = model.width_dots
    p.profile.profile_data = data
    p._raw(b"\x1b\x40")  # ESC @: initialise
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "media.width.pixel not set": we size images ourselves
        if model.chinese == "raster":
            p.image(render_lines(slip.lines, model.width_dots), impl="bitImageRaster")
        else:
            for ln in slip.lines:
                p.set(align=ln.align, bold=ln.bold, double_height=ln.double, double_width=ln.double,
                      normal_textsize=not ln.double)
                p._raw(FS_KANJI_ON + normalise(ln.text).encode("gb18030") + b"\n" + FS_KANJI_OFF)
            p.set(align="left", bold=False, normal_textsize=True)
        if slip.qr:
            p.set(align="center")
            if model.qr_native:
                p.qr(slip.qr, size=6, native=True)
            else:
                import qrcode
                qr = qrcode.QRCode(box_size=6, border=2)
                qr.add_data(slip.qr)
                img = qr.make_image().convert("1")
                from PIL import Image
                canvas = Image.new("1", (model.width_dots, img.height), 1)
                canvas.paste(img, ((model.width_dots - img.width) // 2, 0))
                p.image(canvas, impl="bitImageRaster")
            if slip.qr_caption:
                if model.chinese == "raster":
                    p.image(render_lines([Line(slip.qr_caption, "center")], model.width_dots), impl="bitImageRaster")
                else:
                    p._raw(FS_KANJI_ON + normalise(slip.qr_caption).encode("gb18030") + b"\n" + FS_KANJI_OFF)
            p.set(align="left")
        p._raw(b"\x1b\x64" + bytes([max(0, min(slip.feed, 10))]))  # ESC d n: feed
        p.cut(feed=False)
    return bytes(p.output)


def sample_slip(terminal_id: str = "", when: str = "") -> Slip:
    s = Slip()
    s.add("一窗 打印测试单", align="center", bold=True, double=True)
    s.add(f"终端：{terminal_id or '—'}　时间：{when}")
    s.add("中文测试：社会保险经办 综合柜员")
    s.add("金额：¥12.50（壹拾贰元伍角）")
    s.add("Latin: ABC abc 0123456789")
    s.qr, s.qr_caption = f"YC|TEST|{terminal_id or 'T00'}", "扫码核验（测试）"
    return s
