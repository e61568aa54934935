"""Password verifiers with Argon2id (memory-hard); never store or log a password itself."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# 64 MiB, 3 passes: about 0.1 s on a counter PC; a stolen laptop's verifiers stay expensive to attack.
_hasher = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=2)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(verifier: str, password: str) -> bool:
    try:
        return _hasher.verify(verifier, password)
    except (VerificationError, InvalidHashError):
        return False
