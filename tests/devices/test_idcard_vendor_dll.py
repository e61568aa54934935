"""The vendor-DLL seam of the ID card reader (sdtapi.dll's SDT_* API, Windows) driven on Linux through a stand-in
shared library built here with the C compiler: the same ctypes calls, buffers and SW3 codes as the DLL, loaded with
ctypes.CDLL instead of ctypes.WinDLL. Shows the seam's read, not-lifted, no-card, read-failure and port-failure
paths through VendorDllIdCardDevice, and that without a loader the seam is reported absent on Linux."""
from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
from datetime import date

import pytest

from devices.base import DeviceState
from devices.errors import DeviceError, NotLifted
from devices.idcard.device import VendorDllIdCardDevice
from devices.idcard.record import encode_text
from devices.sim.id_emulator import DEMO_FIELDS, demo_photo

pytestmark = pytest.mark.integration

FAKE_SDTAPI = r"""
#include <string.h>
static unsigned char text_buf[256], photo_buf[1024];
static unsigned int text_len, photo_len;
static int present = 1, must_lift = 0, fault = 0;

void fake_load(const unsigned char *t, unsigned int tl, const unsigned char *p, unsigned int pl) {
    memcpy(text_buf, t, tl); text_len = tl; memcpy(photo_buf, p, pl); photo_len = pl;
}
void fake_place(int yes) { present = yes; must_lift = 0; }
void fake_fault(int code) { fault = code; }

int SDT_OpenPort(int port) { return port == 1001 ? 0x90 : 0x01; }
int SDT_ClosePort(int port) { return 0x90; }
int SDT_GetSAMIDToStr(int port, char *buf, int open) { strcpy(buf, "05.01-20160405-0000123456-1234567890"); return 0x90; }
int SDT_StartFindIDCard(int port, unsigned char *mana, int open) {
    if (!present || must_lift) return 0x80;
    memset(mana, 0, 8); return 0x9F;
}
int SDT_SelectIDCard(int port, unsigned char *mana, int open) { return 0x90; }
int SDT_ReadBaseMsg(int port, unsigned char *t, unsigned int *tl, unsigned char *p, unsigned int *pl, int open) {
    if (fault) return fault;
    memcpy(t, text_buf, text_len); *tl = text_len; memcpy(p, photo_buf, photo_len); *pl = photo_len;
    must_lift = 1;
    return 0x90;
}
"""


@pytest.fixture(scope="module")
def fake_dll(tmp_path_factory):
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        if os.environ.get("CI"):
            pytest.fail("a C compiler is needed to build the stand-in sdtapi library")
        pytest.skip("no C compiler")
    folder = tmp_path_factory.mktemp("sdtapi")
    (folder / "fake_sdtapi.c").write_text(FAKE_SDTAPI)
    lib = folder / "libfake_sdtapi.so"
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", str(lib), str(folder / "fake_sdtapi.c")], check=True,
                   capture_output=True, timeout=60)
    handle = ctypes.CDLL(str(lib))  # the same handle the device gets (dlopen returns the loaded library)
    text, photo = encode_text(DEMO_FIELDS), demo_photo()
    handle.fake_load(text, len(text), photo, len(photo))
    return str(lib), handle


@pytest.fixture
def device(fake_dll):
    path, handle = fake_dll
    handle.fake_place(1)
    handle.fake_fault(0)
    dev = VendorDllIdCardDevice(path, 1001, loader=ctypes.CDLL, timeout=2.0)
    yield dev, handle
    dev.close()


def test_read_through_the_vendor_api(device):
    dev, _ = device
    st = dev.open()
    assert st.state is DeviceState.ready and "libfake_sdtapi.so" in st.reason and "1234567890"[-8:] in st.reason
    record = dev.read()
    assert record.valid, record.problems
    assert (record.name, record.sex, record.nation) == ("乌兰", "女", "蒙古族")
    assert record.id_number == "150102198503120029" and record.birth_date == date(1985, 3, 12)
    assert (record.valid_from, record.valid_to) == (date(2016, 4, 5), date(2036, 4, 5))
    assert len(record.photo_wlt) == 1024 and record.photo_bmp is None and "WLT" in record.photo_note
    assert record.source == "sdtapi:1001"


def test_card_not_lifted_then_no_card(device):
    dev, handle = device
    dev.open()
    dev.read()
    with pytest.raises(NotLifted) as exc:
        dev.read()
    assert "拿开" in exc.value.user_message
    handle.fake_place(0)
    dev.card_lifted()  # the clerk confirmed the card was taken away
    with pytest.raises(DeviceError) as exc:
        dev.read()
    assert exc.value.code == "idcard_no_card" and "平放" in exc.value.user_message
    handle.fake_place(1)
    assert dev.read().name == "乌兰"


def test_read_failure_code_is_named(device):
    dev, handle = device
    dev.open()
    handle.fake_fault(0x41)
    with pytest.raises(DeviceError) as exc:
        dev.read()
    assert exc.value.code == "idcard_read" and "读证操作失败" in exc.value.user_message
    assert dev.status().state is DeviceState.ready


def test_port_that_does_not_open_is_absent(fake_dll):
    path, _ = fake_dll
    dev = VendorDllIdCardDevice(path, 7, loader=ctypes.CDLL)
    st = dev.open()
    assert st.state is DeviceState.absent and "端口 7" in st.reason


def test_without_a_loader_linux_reports_the_seam_absent():
    st = VendorDllIdCardDevice("sdtapi.dll", 1001).open()
    assert st.state is DeviceState.absent and "只能在 Windows" in st.reason
