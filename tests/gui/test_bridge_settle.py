"""ui.bridge.settle: a teardown or shutdown waits for jobs, for the results they deliver, and for the jobs those
results start in turn — none is left to touch a store that is about to close."""
import threading
import time


def test_settle_waits_for_chained_jobs_and_their_results(qapp):
    from ui.bridge import _inflight, run_in_thread, settle

    seen: list[str] = []
    workers: set = set()

    def second() -> str:
        workers.add(threading.current_thread())
        time.sleep(0.2)
        return "second"

    def first_done(result: str) -> None:
        seen.append(result)
        run_in_thread(second, seen.append)  # started only once the first result reached the GUI thread

    def first() -> str:
        workers.add(threading.current_thread())
        time.sleep(0.1)
        return "first"

    run_in_thread(first, first_done)
    assert settle(10000)
    assert seen == ["first", "second"] and not _inflight
    assert threading.main_thread() not in workers


def test_settle_gives_up_after_its_time(qapp):
    from ui.bridge import run_in_thread, settle

    release = threading.Event()
    run_in_thread(lambda: release.wait(5))
    try:
        started = time.monotonic()
        assert settle(200) is False
        assert time.monotonic() - started < 2
    finally:
        release.set()
        assert settle(10000)
