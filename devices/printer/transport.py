"""Connections to a receipt printer, chosen by URL: tcp://HOST[:9100], serial:/dev/ttyS0[:baud], usb:VID:PID
(python-escpos + pyusb), file:PATH (e.g. /dev/usb/lp0, or a plain file for tests). Each has timeouts and maps its
failures to Chinese messages; `status(n)` sends DLE EOT n and returns the status byte, or None if the connection
cannot report status."""
from __future__ import annotations

import os
import socket
import time

from devices.base import RAW_LOG
from devices.errors import DeviceAbsent, PrinterOffline


def _bad(url: str) -> DeviceAbsent:
    return DeviceAbsent(f"打印机地址“{url}”无法识别：应为 tcp://主机:9100、serial:/dev/ttyS0、usb:VID:PID 或 file:路径。",
                        f"bad printer url {url!r}", code="printer_url")


class Transport:
    supports_status = False
    label = ""

    def open(self) -> None: ...

    def write(self, data: bytes) -> None: ...

    def status(self, n: int) -> int | None:
        return None

    def close(self) -> None: ...


class TcpTransport(Transport):
    supports_status = True

    def __init__(self, host: str, port: int = 9100, timeout: float = 3.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.label = f"{host}:{port}"
        self.sock: socket.socket | None = None

    def open(self) -> None:
        try:
            self.sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as exc:
            raise PrinterOffline(f"无法连接小票打印机（{self.label}），请检查打印机电源和网线。", f"connect {self.label}: {exc!r}") \
                from exc

    def write(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise PrinterOffline("打印机连接中断，小票可能没有打印完整，请检查打印机后重新打印。", f"send {self.label}: {exc!r}") \
                from exc

    def status(self, n: int) -> int | None:
        sock = self.sock
        try:
            sock.setblocking(False)
            try:
                while sock.recv(256):  # drop anything unsolicited (ASB, stale answers)
                    pass
            except (BlockingIOError, InterruptedError):
                pass
            finally:
                sock.settimeout(self.timeout)
            sock.sendall(b"\x10\x04" + bytes([n]))
            RAW_LOG.add("小票机", "→", b"\x10\x04" + bytes([n]))
            reply = sock.recv(1)
        except socket.timeout:
            return None
        except OSError as exc:
            raise PrinterOffline("打印机连接中断，请检查打印机后重新打印。", f"status {self.label}: {exc!r}") from exc
        if not reply:
            raise PrinterOffline("打印机断开了连接，请检查打印机后重新打印。", f"status {self.label}: connection closed")
        RAW_LOG.add("小票机", "←", reply)
        return reply[0]

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None


class FileTransport(Transport):
    """A device node (/dev/usb/lp0) or a plain file. Status is read back from device nodes only."""

    def __init__(self, path: str, timeout: float = 3.0):
        self.path, self.timeout = path, timeout
        self.label = path
        self.fd: int | None = None
        self.supports_status = path.startswith("/dev/")

    def open(self) -> None:
        try:
            flags = os.O_RDWR if self.supports_status else os.O_WRONLY | os.O_CREAT | os.O_APPEND
            self.fd = os.open(self.path, flags | getattr(os, "O_NONBLOCK", 0) * self.supports_status, 0o644)
        except OSError as exc:
            raise PrinterOffline(f"无法打开打印机 {self.path}：{exc.strerror}，请检查打印机连接。", f"open {self.path}: {exc!r}") \
                from exc

    def write(self, data: bytes) -> None:
        deadline = time.monotonic() + self.timeout + len(data) / 2000
        view = memoryview(data)
        try:
            while view:
                try:
                    n = os.write(self.fd, view)
                    view = view[n:]
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise PrinterOffline("打印机不接收数据（可能缺纸或离线），请检查打印机。", f"write {self.path}: timeout") \
                            from None
                    time.sleep(0.01)
        except OSError as exc:
            raise PrinterOffline("打印机写入失败，请检查打印机连接。", f"write {self.path}: {exc!r}") from exc

    def status(self, n: int) -> int | None:
        if not self.supports_status:
            return None
        try:
            os.write(self.fd, b"\x10\x04" + bytes([n]))
        except OSError:
            return None
        deadline = time.monotonic() + min(self.timeout, 1.0)
        while time.monotonic() < deadline:
            try:
                b = os.read(self.fd, 1)
                if b:
                    return b[0]
            except (BlockingIOError, OSError):
                pass
            time.sleep(0.01)
        return None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class SerialTransport(Transport):
    supports_status = True

    def __init__(self, port: str, baudrate: int = 9600, timeout: float = 3.0):
        self.port, self.baudrate, self.timeout = port, baudrate, timeout
        self.label = f"{port}@{baudrate}"
        self.ser = None

    def open(self) -> None:
        import serial

        try:
            self.ser = serial.Serial(self.port, self.baudrate, timeout=self.timeout, write_timeout=self.timeout + 5)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise PrinterOffline(f"无法打开打印机串口 {self.port}。", f"open {self.port}: {exc!r}") from exc

    def write(self, data: bytes) -> None:
        try:
            self.ser.write(data)
            self.ser.flush()
        except Exception as exc:  # noqa: BLE001
            raise PrinterOffline("打印机串口写入失败（可能缺纸或离线），请检查打印机。", f"write {self.port}: {exc!r}") from exc

    def status(self, n: int) -> int | None:
        try:
            self.ser.reset_input_buffer()
            self.ser.write(b"\x10\x04" + bytes([n]))
            b = self.ser.read(1)
        except Exception as exc:  # noqa: BLE001
            raise PrinterOffline("打印机串口通讯失败。", f"status {self.port}: {exc!r}") from exc
        return b[0] if b else None

    def close(self) -> None:
        if self.ser is not None:
            self.ser.close()


class UsbTransport(Transport):
    """python-escpos' Usb printer (needs pyusb and access to the device)."""

    supports_status = True

    def __init__(self, vid: int, pid: int, timeout: float = 3.0):
        self.vid, self.pid, self.timeout = vid, pid, timeout
        self.label = f"USB {vid:04x}:{pid:04x}"
        self.p = None

    def open(self) -> None:
        try:
            import usb.core  # noqa: F401
        except ImportError as exc:
            raise DeviceAbsent("未安装 USB 打印支持（pyusb）；Linux 上可改用 file:/dev/usb/lp0。", repr(exc),
                               code="printer_usb") from exc
        from escpos.printer import Usb

        try:
            self.p = Usb(self.vid, self.pid, timeout=int(self.timeout * 1000))
            self.p.open()
        except Exception as exc:  # noqa: BLE001 - USBNotFoundError, permission errors
            raise PrinterOffline(f"未找到 USB 打印机 {self.vid:04x}:{self.pid:04x}，请检查连接和权限。", repr(exc)) from exc

    def write(self, data: bytes) -> None:
        try:
            self.p._raw(data)
        except Exception as exc:  # noqa: BLE001
            raise PrinterOffline("USB 打印机写入失败。", repr(exc)) from exc

    def status(self, n: int) -> int | None:
        try:
            self.p._raw(b"\x10\x04" + bytes([n]))
            b = self.p._read()
        except Exception:  # noqa: BLE001
            return None
        return b[0] if b else None

    def close(self) -> None:
        if self.p is not None:
            try:
                self.p.close()
            except Exception:  # noqa: BLE001
                pass


def open_url(url: str, timeout: float = 3.0) -> Transport:
    url = (url or "").strip()
    if url.startswith("tcp://"):
        rest = url[6:].rstrip("/")
        host, _, port = rest.rpartition(":") if ":" in rest else (rest, "", "9100")
        if not host:
            raise _bad(url)
        try:
            return TcpTransport(host, int(port or 9100), timeout)
        except ValueError:
            raise _bad(url) from None
    if url.startswith("file:"):
        path = url[5:]
        if path.startswith("//"):
            path = path[2:]
        if not path:
            raise _bad(url)
        return FileTransport(path, timeout)
    if url.startswith("serial:"):
        port, _, baud = url[7:].partition("@") if "@" in url else (url[7:], "", "")
        if not baud and port.count(":") == 1 and not port.startswith("/"):
            port, baud = port.split(":")  # serial:COM3:9600
        elif not baud and port.rsplit(":", 1)[-1].isdigit() and port.startswith("/"):
            port, baud = port.rsplit(":", 1)
        return SerialTransport(port, int(baud or 9600), timeout)
    if url.startswith("usb:"):
        try:
            vid, pid = (int(x, 16) for x in url[4:].split(":"))
        except ValueError:
            raise _bad(url) from None
        return UsbTransport(vid, pid, timeout)
    raise _bad(url)
