"""Unlocking an encrypted terminal's store for a command-line run (`yichuang sync …`, `migrate`, `doctor`,
`audit verify`, `purge`, `encrypt-store`): the same login as the client's window, without Qt.

The operator id comes from `--operator` (else a prompt when standard input is a terminal; a script must pass it);
the password through getpass (else a line of standard input, so a script can pipe it); a one-time password is asked
the same way when the agency's policy wants one. Then `AtRestAuthenticator.login` does what the login window
does: the key wrap in keystore.json is opened with the password (a wrong one counts towards the lock-out kept in the
key store), the SQLCipher store is opened with the data key, and the ordinary login (online, or the verifier cached
at an earlier online login here) runs with its own lock-out and audit record. The keys stay in this process's memory.

Refusals are `UnlockFailed` with a Chinese message for stderr and exit code 2. Neither the password nor the OTP is
ever logged, echoed or put in an exception."""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from app.errors import YichuangError

log = logging.getLogger(__name__)

EXIT_UNLOCK_FAILED = 2


class UnlockFailed(Exception):
    """A command could not unlock (or open) the terminal's data: `message` is Chinese, for stderr."""

    def __init__(self, message: str, exit_code: int = EXIT_UNLOCK_FAILED):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def add_operator_argument(parser, *, repeat: bool = False) -> None:
    """`--operator 工号`: who unlocks the encrypted data (the password is asked, never given on the command line)."""
    help_text = "本机数据已加密时用于解锁的工号（密码在终端提示输入，或从标准输入读取一行）"
    if repeat:
        parser.add_argument("--operator", action="append", default=[], help=help_text + "；可重复，为多个工号授权")
    else:
        parser.add_argument("--operator", default="", help=help_text)


class Credentials:
    """Reads what the operator types: prompts on a terminal, lines of standard input otherwise."""

    def __init__(self, stdin: TextIO | None = None, stderr: TextIO | None = None):
        self.stdin = stdin or sys.stdin
        self.stderr = stderr or sys.stderr

    def _interactive(self) -> bool:
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError):
            return False

    def _line(self) -> str:
        line = self.stdin.readline()
        return line.rstrip("\r\n")

    def operator(self, given: str | None) -> str:
        """`--operator`, else asked on a terminal; a script (stdin not a terminal) must name it: ''."""
        if given and given.strip():
            return given.strip()
        if self._interactive():
            self.stderr.write("工号：")
            self.stderr.flush()
            return self._line().strip()
        return ""

    def secret(self, prompt: str) -> str:
        if self._interactive():
            import getpass

            return getpass.getpass(prompt, stream=self.stderr)
        return self._line()


def unlock(runtime, operator: str | None, *, credentials: Credentials | None = None):
    """Log `operator` in on an encrypted runtime whose store is closed (the window's login); returns the session,
    or None when there is nothing to unlock (the store is already open: a terminal without encryption)."""
    from app.errors import AuthError
    from app.security.operators import PasswordExpired, SecondFactorRequired

    if runtime.store is not None:
        return None
    creds = credentials or Credentials()
    operator_id = creds.operator(operator)
    if not operator_id:
        raise UnlockFailed("本机数据已加密：请用 --operator 指定工号，并输入密码。")
    password = creds.secret("密码：")
    if not password:
        raise UnlockFailed("本机数据已加密：请输入密码（终端提示输入，或从标准输入读取一行）。")
    try:
        try:
            session = runtime.auth.login(operator_id, password)
        except SecondFactorRequired:
            otp = creds.secret("动态口令：")
            if not otp:
                raise UnlockFailed("本机构要求动态口令：请输入动态口令（认证器应用中的六位数字）。") from None
            session = runtime.auth.login(operator_id, password, otp=otp)
    except PasswordExpired:
        raise UnlockFailed("密码已过期：请先在客户端登录并修改密码，再运行本命令。") from None
    except AuthError as exc:
        log.warning("command-line unlock refused (%s)", exc.code or "auth")
        raise UnlockFailed(f"无法解锁本机数据：{exc.user_message}") from None
    except YichuangError as exc:
        log.warning("command-line unlock failed (%s)", exc.code or type(exc).__name__)
        raise UnlockFailed(f"无法解锁本机数据：{exc.user_message}") from None
    finally:
        password = None  # noqa: F841 - drop the reference early
    log.info("command-line unlock", extra={"operator_id": operator_id})
    return session


@contextmanager
def open_runtime(operator: str | None = None, *, paths=None, settings=None,
                 credentials: Credentials | None = None) -> Iterator:
    """The terminal's runtime with its store open — unlocked by `operator` when the data is encrypted; closed on
    exit. Raises UnlockFailed (Chinese message) when it cannot be opened or unlocked."""
    from app.bootstrap import bootstrap

    try:
        runtime = bootstrap(paths, settings, console_log=False)
    except YichuangError as exc:
        raise UnlockFailed(f"无法打开本机数据：{exc.user_message}") from None
    try:
        unlock(runtime, operator, credentials=credentials)
        yield runtime
    finally:
        runtime.close()


def run_with_runtime(operator: str | None, body: Callable, *, stderr: TextIO | None = None, **kw) -> int:
    """Run `body(runtime) -> exit code` on the opened (and, if need be, unlocked) runtime; a refusal is printed in
    Chinese on stderr and gives exit code 2."""
    try:
        with open_runtime(operator, **kw) as runtime:
            return body(runtime)
    except UnlockFailed as exc:
        print(exc.message, file=stderr or sys.stderr)
        return exc.exit_code


def terminal_is_encrypted(paths=None) -> bool:
    """Whether this terminal's configuration turns encryption at rest on. A bad configuration answers True, so the
    command goes through `open_runtime`, whose loading of it reports the error (naming the key) in Chinese."""
    from app.config import load_settings
    from app.paths import resolve_paths
    from app.security.at_rest import encryption_enabled

    paths = paths or resolve_paths()
    try:
        return encryption_enabled(load_settings(paths.config_file))
    except YichuangError:
        return True
