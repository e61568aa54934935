"""Thermal slips: a 1-bit image exactly as wide as the printer head, ESC/POS raster bytes that decode back to it, the
QR code readable by OpenCV, and a print job that reaches a network receipt printer on 127.0.0.1."""
from __future__ import annotations

import socket
import threading
from datetime import datetime, timezone

import pytest
from PIL import Image

from app.docs.slip import Slip, WIDTHS, print_slip, raster_image, slip_escpos, slip_image

PAYLOAD = "YC|150102-T01-20261125-0007|3f1c2a9e-8b7d-4c21-9a55-0e6d2b7f4a10"


@pytest.fixture
def slip() -> Slip:
    return Slip(agency_name="呼和浩特市新城区社会保险事业管理局", queue_no="A023", case_no="150102-T01-20261125-0007",
                item_name="城乡居民养老保险参保登记", deadline_text="承诺办结：2026年12月09日", qr_payload=PAYLOAD,
                printed_at=datetime(2026, 11, 25, 6, 5, tzinfo=timezone.utc), window="3号窗口", status_text="已受理")


def _decode(image: Image.Image) -> str:
    cv2 = pytest.importorskip("cv2")
    import numpy

    # as a phone sees a printed slip: bigger than one pixel per dot
    big = image.convert("L").resize((image.width * 2, image.height * 2), Image.Resampling.NEAREST)
    decoded, _points, _ = cv2.QRCodeDetector().detectAndDecode(numpy.array(big))
    return decoded


@pytest.mark.parametrize("width", WIDTHS)
def test_slip_image_and_escpos(slip: Slip, width: int) -> None:
    image = slip_image(slip, width)
    assert image.mode == "1" and image.width == width
    assert 300 < image.height < 1200
    black = image.histogram()[0]  # mode "1": bin 0 counts the black dots
    assert 0.05 < black / (image.width * image.height) < 0.5
    data = slip_escpos(slip, width)
    assert data.startswith(b"\x1b\x40")                     # ESC @
    assert data.endswith(b"\x1d\x56\x42\x00")               # GS V: cut
    assert data.count(b"\x1d\x76\x30\x00") == -(-image.height // 255)  # raster bands of ≤ 255 rows
    assert raster_image(data).tobytes() == image.tobytes()  # the printer gets exactly the image
    assert _decode(raster_image(data)) == PAYLOAD


def test_bad_width(slip: Slip) -> None:
    with pytest.raises(ValueError):
        slip_image(slip, 500)


def test_naive_time_refused(slip: Slip) -> None:
    with pytest.raises(ValueError, match="naive"):
        Slip(**{**slip.__dict__, "printed_at": datetime(2026, 11, 25, 14, 5)})


class _Listener:
    """A raw network printer: accepts one job on 127.0.0.1 and keeps the bytes."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.data = bytearray()
        self.done = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.data += chunk
        self.done.set()
        self.server.close()


def test_print_to_tcp_printer(slip: Slip) -> None:
    listener = _Listener()
    sent = print_slip(slip, f"tcp://127.0.0.1:{listener.port}", width=384)
    assert listener.done.wait(10)
    assert sent == len(listener.data) and bytes(listener.data) == slip_escpos(slip, 384)
    assert _decode(raster_image(bytes(listener.data))) == PAYLOAD


def test_print_through_the_receipt_printer_device(slip: Slip) -> None:
    """devices.printer (the receipt-printer driver) checks paper and online state around the job."""
    device_mod = pytest.importorskip("devices.printer.device")
    sim = pytest.importorskip("devices.sim.printer")
    listener = sim.TcpPrinterListener().start()
    try:
        device = device_mod.ReceiptPrinterDevice(listener.url, model="raster-58")
        result = print_slip(slip, device)
        assert result.bytes_sent == len(slip_escpos(slip, 384))  # the device's model gives the width
        assert bytes(listener.received).endswith(slip_escpos(slip, 384))
        assert listener.queries  # the status was asked before and after printing
    finally:
        listener.stop()


def test_paper_out_is_reported(slip: Slip) -> None:
    device_mod = pytest.importorskip("devices.printer.device")
    sim = pytest.importorskip("devices.sim.printer")
    errors = pytest.importorskip("devices.errors")
    listener = sim.TcpPrinterListener(state=sim.PrinterState(paper_out=True)).start()
    try:
        with pytest.raises(errors.PaperOut) as caught:
            print_slip(slip, device_mod.ReceiptPrinterDevice(listener.url))
        assert "缺纸" in caught.value.user_message
        assert b"\x1d\x76\x30" not in bytes(listener.received)  # nothing printed
    finally:
        listener.stop()
