"""The scans of a case side by side: a strip of thumbnails and the selected page large, decoded off the GUI thread."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QSizePolicy, QWidget

from ui.bridge import run_in_thread

log = logging.getLogger(__name__)
THUMB = 88
_VIEW_ROLE = Qt.ItemDataRole.UserRole


_translate = QCoreApplication.translate  # lupdate reads _translate("ScanViewer", "…")


@dataclass(frozen=True)
class LoadedScan:
    view: object  # AttachmentView
    image: QImage | None  # None: not an image, or unreadable (see `problem`)
    thumb: QImage | None
    problem: str = ""


def load_scans(attachments, views) -> list[LoadedScan]:
    """Blocking (worker thread): read each file (SHA-256 checked) and decode images. QImage is thread-safe."""
    out = []
    for v in views:
        try:
            data = attachments.read(v)
        except Exception as exc:  # a damaged or missing file must not hide the others
            out.append(LoadedScan(v, None, None, getattr(exc, "user_message", None) or _translate("ScanViewer", "扫描件无法读取")))
            continue
        if not v.mime_type.startswith("image/"):
            out.append(LoadedScan(v, None, None, _translate("ScanViewer", "非图片文件（如 PDF），双击缩略图用外部程序打开")))
            continue
        image = QImage.fromData(data)
        if image.isNull():
            out.append(LoadedScan(v, None, None, _translate("ScanViewer", "无法解码该图片")))
            continue
        thumb = image.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
        out.append(LoadedScan(v, image, thumb))
    return out


class ImageView(QLabel):
    """Shows one image as large as the space allows, keeping its aspect ratio."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._pixmap: QPixmap | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(200, 160)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setStyleSheet("ImageView { background: #e9edf1; border: 1px solid #cfd6de; color: #607d8b; }")
        self.setWordWrap(True)

    def show_image(self, image: QImage | None, text: str = "") -> None:
        self._pixmap = QPixmap.fromImage(image) if image is not None else None
        if self._pixmap is None:
            self.clear()
            self.setText(text)
        else:
            self._rescale()

    def has_image(self) -> bool:
        return self._pixmap is not None and not self._pixmap.isNull()

    def _rescale(self) -> None:
        if self.has_image():
            self.setPixmap(self._pixmap.scaled(self.size() - QSize(4, 4), Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._rescale()


class ScanViewer(QWidget):
    def __init__(self, runtime, parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime = runtime
        self.scans: list[LoadedScan] = []
        self._names: dict[str, str] = {}
        self._token = 0
        self.thumbs = QListWidget()
        self.thumbs.setIconSize(QSize(THUMB, THUMB))
        self.thumbs.setFixedWidth(180)
        self.thumbs.setWordWrap(True)
        self.image_view = ImageView()
        self.image_view.setText(self.tr("本业务没有扫描件"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.thumbs)
        layout.addWidget(self.image_view, 1)
        self.thumbs.currentRowChanged.connect(self._show_row)
        self.thumbs.itemDoubleClicked.connect(self._open_external)

    def set_attachments(self, views: list, material_names: dict[str, str]) -> None:
        """Show these AttachmentViews; files are read and decoded on a worker thread."""
        self._names = dict(material_names)
        self._token += 1
        token = self._token
        self.thumbs.clear()
        self.scans = []
        if not views:
            self.image_view.show_image(None, self.tr("本业务没有扫描件"))
            return
        self.image_view.show_image(None, self.tr("正在读取扫描件…"))
        attachments = self.runtime.attachments
        run_in_thread(lambda: load_scans(attachments, views), lambda scans: self._loaded(token, scans),
                      lambda exc: self._failed(token, exc), context=self)

    def _loaded(self, token: int, scans: list[LoadedScan]) -> None:
        if token != self._token:
            return  # a newer set of scans was asked for meanwhile
        self.scans = scans
        for scan in scans:
            v = scan.view
            text = "{0}\n{1}".format(self._names.get(v.material_code, v.material_code), v.file_name)
            item = QListWidgetItem(text)
            item.setData(_VIEW_ROLE, v.material_code)
            item.setToolTip(text)
            if scan.thumb is not None:
                item.setIcon(QIcon(QPixmap.fromImage(scan.thumb)))
            self.thumbs.addItem(item)
        self.thumbs.setCurrentRow(0)

    def _failed(self, token: int, exc: BaseException) -> None:
        if token == self._token:
            log.warning("scans could not be read: %r", exc)
            self.image_view.show_image(None, self.tr("扫描件读取失败"))

    @Slot(int)
    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.scans):
            scan = self.scans[row]
            self.image_view.show_image(scan.image, scan.problem)
            self.image_view.setToolTip(scan.view.file_name)

    def select_material(self, code: str) -> bool:
        """Show the first scan of a material; False when it has none."""
        for row, scan in enumerate(self.scans):
            if scan.view.material_code == code:
                self.thumbs.setCurrentRow(row)
                return True
        return False

    @Slot(QListWidgetItem)
    def _open_external(self, item: QListWidgetItem) -> None:
        row = self.thumbs.row(item)
        if 0 <= row < len(self.scans):
            from app.security.at_rest import encryption_enabled

            if encryption_enabled(self.runtime.settings):  # the file on disk is sealed (AES-GCM): view it here only
                self.image_view.setToolTip(self.tr("本机数据已加密，扫描件只能在本窗口查看"))
                return
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.scans[row].view.path)))
