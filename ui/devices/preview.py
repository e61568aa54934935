"""The live document-camera preview: paints the newest frame scaled to fit, with an optional guide rectangle
(the 358:441 card-photo frame the clerk centres the person in)."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from devices.camera.vision import photo_guide
from ui.devices.signals import CameraFeed


class CameraPreview(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("cameraPreview")
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image: QImage | None = None
        self._feed: CameraFeed | None = None
        self.show_photo_guide = False
        self.frames_shown = 0
        self.message = self.tr("高拍仪未开启")

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    def start(self, camera) -> None:
        """Show `camera`'s frames (a devices.camera CameraDevice) until stop()."""
        self.stop()
        self._feed = CameraFeed(camera, self)
        self._feed.frame.connect(self.set_image)
        self._feed.start()
        self.message = self.tr("等待画面…")
        self.update()

    def stop(self) -> None:
        if self._feed is not None:
            self._feed.stop()
            self._feed.deleteLater()
            self._feed = None
        self.message = self.tr("高拍仪未开启")

    def set_guide(self, on: bool) -> None:
        self.show_photo_guide = on
        self.update()

    @Slot(QImage)
    def set_image(self, image: QImage) -> None:
        self._image = image
        self.frames_shown += 1
        self.update()

    def image(self) -> QImage | None:
        return self._image

    def _target(self) -> QRectF:
        img = self._image
        if img is None or img.isNull():
            return QRectF(self.rect())
        scale = min(self.width() / img.width(), self.height() / img.height())
        w, h = img.width() * scale, img.height() * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(40, 40, 40))
        if self._image is None or self._image.isNull():
            p.setPen(QColor(220, 220, 220))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message)
            return
        target = self._target()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.drawImage(target, self._image)
        if self.show_photo_guide:
            x, y, w, h = photo_guide(self._image.width(), self._image.height())
            s = target.width() / self._image.width()
            p.setPen(QPen(QColor(0, 200, 0), 2, Qt.PenStyle.DashLine))
            p.drawRect(QRectF(target.x() + x * s, target.y() + y * s, w * s, h * s))
        p.end()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.stop()
        super().closeEvent(event)
