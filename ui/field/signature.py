"""An on-screen signature pad: the person signs with a finger, pen or mouse; the strokes become a PNG (black on
white) for the evidence bundle."""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PEN_WIDTH = 3.0
MIN_POINTS = 8  # a dot or an accidental tap is not a signature


class SignaturePad(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, placeholder: str | None = None):
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setMinimumSize(360, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.placeholder = placeholder or self.tr("请本人在此处签名")
        self._strokes: list[list[QPointF]] = []

    def sizeHint(self) -> QSize:
        return QSize(520, 170)

    # -- input -----------------------------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._strokes.append([event.position()])
            self.update()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._strokes and event.buttons() & Qt.MouseButton.LeftButton:
            self._strokes[-1].append(event.position())
            self.update()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._strokes:
            self._strokes[-1].append(event.position())
            self.update()
            self.changed.emit()

    def add_stroke(self, points: list[tuple[float, float]]) -> None:
        """For tablets that deliver whole strokes, and tests."""
        self._strokes.append([QPointF(x, y) for x, y in points])
        self.update()
        self.changed.emit()

    def clear(self) -> None:
        self._strokes.clear()
        self.update()
        self.changed.emit()

    def is_empty(self) -> bool:
        return sum(len(s) for s in self._strokes) < MIN_POINTS

    # -- output ----------------------------------------------------------------------------------------------------
    def _paint(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(0, 0, 0), PEN_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                      Qt.PenJoinStyle.RoundJoin))
        for stroke in self._strokes:
            if len(stroke) == 1:
                p.drawPoint(stroke[0])
                continue
            path = QPainterPath(stroke[0])
            for pt in stroke[1:]:
                path.lineTo(pt)
            p.drawPath(path)

    def to_image(self) -> QImage:
        img = QImage(self.size(), QImage.Format.Format_Grayscale8)
        img.fill(QColor(255, 255, 255))
        p = QPainter(img)
        self._paint(p)
        p.end()
        return img

    def to_png(self) -> bytes | None:
        """The signature as PNG bytes, or None when nothing (meaningful) was drawn."""
        if self.is_empty():
            return None
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        self.to_image().save(buf, "PNG")
        buf.close()
        return bytes(data)

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(255, 255, 255))
        p.setPen(QPen(QColor(176, 190, 197), 1, Qt.PenStyle.DashLine))
        base = self.height() - 28
        p.drawLine(16, base, self.width() - 16, base)
        if not self._strokes:
            p.setPen(QColor(144, 164, 174))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
        self._paint(p)
        p.setPen(QPen(QColor(207, 214, 222), 1))
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        p.end()
