import json
import logging
from datetime import date

from app.ids import make_id_number
from app.logs import configure_logging


def test_log_lines_are_json_and_mask_id_numbers(tmp_path):
    ssn = make_id_number("150102", date(1960, 3, 1), 5, False)
    path = configure_logging(tmp_path, console=False)
    logging.getLogger("t").warning("person %s not found", ssn, extra={"ssn": ssn})
    for h in logging.getLogger().handlers:
        h.flush()
    text = path.read_text(encoding="utf-8")
    assert ssn not in text
    line = json.loads(text.strip().splitlines()[-1])
    assert line["level"] == "WARNING" and "********" in line["message"] and "********" in line["ssn"]
