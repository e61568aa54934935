"""A4 printing goes through Qt's printing system (ui/, a later issue builds the documents). This device only reports
whether the operating system has a default printer: CUPS' `lpstat -d` on Linux, assumed present on Windows."""
from __future__ import annotations

import shutil
import subprocess
import sys

from devices.base import DeviceKind, DeviceState, StatefulDevice


class SystemPrinterDevice(StatefulDevice):
    kind = DeviceKind.a4_printer
    backend = "real"

    def open(self):
        if sys.platform == "win32":
            return self._set_status(DeviceState.ready, "使用 Windows 默认打印机")
        lpstat = shutil.which("lpstat")
        if not lpstat:
            return self._set_status(DeviceState.absent, "未安装打印服务（CUPS）")
        try:
            out = subprocess.run([lpstat, "-d"], capture_output=True, text=True, timeout=3).stdout.strip()
        except (OSError, subprocess.TimeoutExpired) as exc:
            return self._set_status(DeviceState.error, f"打印服务无应答：{exc}")
        if ":" in out and "no system default" not in out:
            return self._set_status(DeviceState.ready, "默认打印机：" + out.split(":", 1)[1].strip())
        return self._set_status(DeviceState.absent, "系统未设置默认打印机")
