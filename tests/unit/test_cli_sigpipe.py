"""`yichuang …` called in-process leaves SIGPIPE as it found it: a default SIGPIPE would kill the calling process
(pytest, a support script) the next time it writes to a socket the other side closed."""
import signal

from ui.cli import main


def test_main_restores_the_sigpipe_handler(capsys):
    before = signal.getsignal(signal.SIGPIPE)
    main(["catalog", "list"])
    assert "城乡居民养老保险参保登记" in capsys.readouterr().out
    assert signal.getsignal(signal.SIGPIPE) == before
    assert before != signal.SIG_DFL  # Python ignores it by default: BrokenPipeError instead of death
