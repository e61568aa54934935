"""Voice prompts, optional: the kiosk says what a page expects ("请插入社保卡…"). A no-op by default; espeak-ng
(Mandarin voice) when the binary is installed. A vendor TTS engine plugs in as another `Voice`."""
from __future__ import annotations

import logging
import shutil
import subprocess

log = logging.getLogger(__name__)


class Voice:
    """The interface: `say` must return at once (speech runs in the background) and replace what is being said."""

    enabled = True

    def say(self, text: str) -> None:
        pass

    def stop(self) -> None:
        pass


class NullVoice(Voice):
    enabled = False


class EspeakVoice(Voice):
    def __init__(self, binary: str, voice: str = "cmn", speed: int = 135):
        self.binary, self.voice, self.speed = binary, voice, speed
        self._proc: subprocess.Popen | None = None

    def say(self, text: str) -> None:
        self.stop()
        try:
            self._proc = subprocess.Popen([self.binary, "-v", self.voice, "-s", str(self.speed), text],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as exc:
            log.warning("voice prompt failed: %r", exc)
            self._proc = None

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()


class RecordingVoice(Voice):
    """Keeps what would have been said (tests, the support page)."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)

    def stop(self) -> None:
        pass


def default_voice() -> Voice:
    binary = shutil.which("espeak-ng")
    return EspeakVoice(binary) if binary else NullVoice()
