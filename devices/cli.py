"""`yichuang device …`: support staff and scripts check the hardware; every subcommand prints one JSON object and
exits 0 on success, 1 when the device failed (the JSON then has ok = false, error, message, detail)."""
from __future__ import annotations

import json
import sys
import time
from typing import Callable


def _settings():
    try:
        from app.config import load_settings
        from app.paths import resolve_paths

        return load_settings(resolve_paths().config_file)
    except Exception:  # noqa: BLE001 - a broken config must not stop a hardware check; defaults apply
        from app.config import Settings

        return Settings()


def _emit(obj: dict) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _run(fn: Callable[[], dict]) -> int:
    from devices.errors import DeviceError

    t0 = time.perf_counter()
    try:
        out = fn()
    except DeviceError as exc:
        _emit({**exc.as_dict(), "elapsed_ms": round((time.perf_counter() - t0) * 1000, 1)})
        return 1
    except Exception as exc:  # noqa: BLE001 - the JSON contract holds for unexpected failures too
        _emit({"ok": False, "error": "internal", "message": f"内部错误：{exc}", "detail": repr(exc)})
        return 1
    _emit({"ok": True, **out, "elapsed_ms": round((time.perf_counter() - t0) * 1000, 1)})
    return 0


def cmd_sscard(args) -> int:
    def go() -> dict:
        from devices.sscard.device import PcscSscardDevice

        cfg = _settings()
        dev = PcscSscardDevice(reader=args.reader or cfg.devices.sscard_reader, auto_read=False, timeout=args.timeout)
        if args.secure_url:
            from devices.sscard.secure import HttpSecurityModule

            dev.set_security_module(HttpSecurityModule(args.secure_url, terminal_id=cfg.terminal.terminal_id))
        out: dict = {}
        if args.pin:
            dev.verify_pin(args.pin, reader=args.reader or None)
            out["pin"] = "verified"
        record = dev.read_card(reader=args.reader or None)
        return {**out, "card": record.to_dict(), "summary": record.summary()}
    return _run(go)


def cmd_idcard(args) -> int:
    def go() -> dict:
        from devices.idcard.device import SerialIdCardDevice
        from devices.idcard.wlt import load_decoder

        cfg = _settings()
        dev = SerialIdCardDevice(args.port or cfg.devices.idcard_port, args.baud or cfg.devices.idcard_baudrate,
                                 timeout=args.timeout, decoder=load_decoder(cfg.devices.idcard_wlt_decoder))
        try:
            record = dev.read(timeout=args.timeout)
        finally:
            dev.close()
        return {"id_card": record.to_dict(), "summary": record.summary()}
    return _run(go)


def cmd_camera(args) -> int:
    def go() -> dict:
        from devices.camera.device import CameraDevice, capture_page_from_frame, save_card_photo
        from devices.camera.vision import decode_qr
        from pathlib import Path

        cfg = _settings()
        dev = CameraDevice(args.source if args.source is not None else cfg.devices.camera_source,
                           width=cfg.devices.camera_width, height=cfg.devices.camera_height, dpi=cfg.devices.camera_dpi,
                           frame_timeout=args.timeout, reopen_interval=0.5)
        st = dev.open()
        try:
            frame = dev.grab_frame(fresh=False, timeout=args.timeout)
        finally:
            dev.close()
        out: dict = {"source": str(dev.source), "status": st.reason, "frame_size": [frame.shape[1], frame.shape[0]]}
        if args.card_photo:
            if not args.id_number:
                from devices.errors import DeviceError
                raise DeviceError("拍证件照须用 --id-number 给出公民身份号码（照片以它命名）。", "no --id-number",
                                  code="usage")
            out_dir = Path(args.capture).parent if args.capture else Path(".")
            out["card_photo"] = save_card_photo(frame, out_dir, args.id_number).to_dict()
        elif args.capture:
            out["page"] = capture_page_from_frame(frame, Path(args.capture), deskew=args.deskew, qr=args.qr,
                                                  dpi=cfg.devices.camera_dpi,
                                                  metadata={"source": str(dev.source)}).to_dict()
        if args.qr and "page" not in out:
            out["qr"] = [r.to_dict() for r in decode_qr(frame)]
        elif args.qr:
            out["qr"] = out["page"]["qr"]
        return out
    return _run(go)


def cmd_print_test(args) -> int:
    def go() -> dict:
        from devices.printer.device import ReceiptPrinterDevice

        cfg = _settings()
        url = args.printer or cfg.devices.printer_url
        if not url:
            from devices.errors import DeviceError
            raise DeviceError("请用 --printer 给出打印机地址，或在配置文件中设置 devices.printer_url。", "no printer url",
                              code="usage")
        dev = ReceiptPrinterDevice(url, model=args.model or cfg.devices.printer_model,
                                   chinese=args.chinese or cfg.devices.printer_chinese, timeout=args.timeout,
                                   terminal_id=cfg.terminal.terminal_id)
        result = dev.print_test()
        return {"printer": url, "model": dev.model.name, "chinese": dev.model.chinese, **result.to_dict()}
    return _run(go)


def register(subparsers) -> None:
    d = subparsers.add_parser("device", help="外设检查：读社保卡、读身份证、高拍仪拍照、打印测试单（输出 JSON）")
    sub = d.add_subparsers(dest="device_command", required=True)

    s = sub.add_parser("sscard", help="通过 PC/SC 读卡器读取插入的社保卡")
    s.add_argument("--reader", default="", help="读卡器名称（或其中一段）；默认取配置或任一有卡的读卡器")
    s.add_argument("--pin", default="", help="先校验密码（会消耗一次尝试机会）")
    s.add_argument("--secure-url", default="", help="第三代卡：中心系统地址，联网读取姓名等（可选）")
    s.add_argument("--timeout", type=float, default=5.0)
    s.set_defaults(func=cmd_sscard)

    i = sub.add_parser("idcard", help="通过串口（SAM 协议）读取身份证")
    i.add_argument("--port", default="", help="串口，例如 /dev/ttyUSB0 或 COM3；默认取配置")
    i.add_argument("--baud", type=int, default=0, help="波特率（默认取配置，115200）")
    i.add_argument("--timeout", type=float, default=3.0)
    i.set_defaults(func=cmd_idcard)

    c = sub.add_parser("camera", help="高拍仪：拍照、纠偏、证件照、识别二维码")
    c.add_argument("--source", default=None, help="设备编号（0）、视频文件或 URL；默认取配置")
    c.add_argument("--capture", default="", metavar="OUT.jpg", help="保存到该文件")
    c.add_argument("--deskew", action="store_true", help="识别纸张边缘并纠偏为 A4")
    c.add_argument("--card-photo", action="store_true", help="裁出 358×441 证件照，以身份号码命名，存到 OUT 所在目录")
    c.add_argument("--id-number", default="", help="证件照所属的公民身份号码")
    c.add_argument("--qr", action="store_true", help="识别二维码")
    c.add_argument("--timeout", type=float, default=5.0)
    c.set_defaults(func=cmd_camera)

    p = sub.add_parser("print-test", help="打印一张测试小票（中文、二维码、切纸）并检查缺纸/离线")
    p.add_argument("--printer", default="", help="tcp://HOST:PORT、file:PATH、usb:VID:PID 或 serial:PORT@BAUD")
    p.add_argument("--model", default="", help="打印机型号（generic-80、generic-58、raster-80 …）")
    p.add_argument("--chinese", choices=["auto", "gb18030", "raster"], default="")
    p.add_argument("--timeout", type=float, default=5.0)
    p.set_defaults(func=cmd_print_test)


if __name__ == "__main__":  # python -m devices.cli … (same commands without the yichuang entry point)
    import argparse

    parser = argparse.ArgumentParser(prog="yichuang")
    register(parser.add_subparsers(dest="command", required=True))
    ns = parser.parse_args()
    sys.exit(ns.func(ns))
