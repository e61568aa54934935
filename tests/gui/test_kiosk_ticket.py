"""The 取号凭条 layout (app.docs.slip.QueueTicketSlip, issue 10): the number very large, the business, how many wait
ahead, when it was taken, the agency and a short note, as one raster image in an ESC/POS job that reads back to the
same picture, on 80 mm and 58 mm paper."""
from __future__ import annotations

from datetime import datetime

import pytest

from app.clock import LOCAL_TZ
from app.docs.slip import QueueTicketSlip, raster_image, ticket_escpos, ticket_image, ticket_lines

TICKET = QueueTicketSlip(agency_name="呼和浩特市新城区社会保险事业管理局", number="D007", business="社会保障卡业务",
                         waiting_ahead=3, taken_at=datetime(2026, 11, 26, 9, 30, tzinfo=LOCAL_TZ),
                         terminal="自助终端 T07")


def ink_runs(image) -> list[int]:
    """Heights of the bands of consecutive rows that carry ink (a text line is one band)."""
    width, height = image.size
    px = image.load()
    runs, run = [], 0
    for y in range(height):
        if any(px[x, y] == 0 for x in range(0, width, 2)):
            run += 1
        elif run:
            runs.append(run)
            run = 0
    return runs + ([run] if run else [])


def test_ticket_lines_say_what_the_person_needs() -> None:
    lines = ticket_lines(TICKET)
    words = [line.text for line in lines]
    assert words[0] == TICKET.agency_name
    assert "D007" in words and "社会保障卡业务" in words and "前面还有 3 人等候" in words
    assert "取号时间：2026年11月26日 09:30" in words and "自助终端 T07" in words
    assert words[-1] == TICKET.note
    sizes = {line.text: line.size for line in lines}
    assert sizes["D007"] == max(sizes.values()) and sizes["D007"] >= 3 * sizes[TICKET.agency_name]
    unknown = [line.text for line in ticket_lines(QueueTicketSlip("某局", "A001", "综合业务", None, TICKET.taken_at))]
    assert "请留意叫号" in unknown and not any("前面还有" in w for w in unknown)


@pytest.mark.parametrize("width", [576, 384])
def test_ticket_escpos_reads_back_to_the_ticket_image_with_a_big_number(width: int) -> None:
    job = ticket_escpos(TICKET, width)
    assert job.startswith(b"\x1b\x40") and job.endswith(b"\x1d\x56\x42\x00")  # initialise … cut
    image = ticket_image(TICKET, width)
    assert raster_image(job).tobytes() == image.tobytes()
    runs = ink_runs(image)
    assert max(runs) >= 0.17 * width  # the number: about 100 dots tall on 80 mm paper
    assert sorted(runs)[-2] < max(runs) / 2  # everything else is much smaller


def test_ticket_width_is_checked() -> None:
    with pytest.raises(ValueError):
        ticket_image(TICKET, 500)
