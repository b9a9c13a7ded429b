"""How hard a secret is to guess, judged by zxcvbn rather than by its length.

Forty times "a" or a sentence of common words is long and still guessed early: zxcvbn
estimates the guesses an attacker who knows repetitions, sequences and dictionaries needs.
"""

from functools import lru_cache

from zxcvbn import zxcvbn

# 10**36 guesses (about 2**120): zxcvbn puts `secrets.token_urlsafe(48)` near 10**64 and
# `openssl rand -hex 32` near 10**63; forty "a" near 10**3, common phrases below 10**35.
MIN_GUESSES_LOG10 = 36
# zxcvbn refuses longer input (its cost grows fast with length); the start of a secret
# guessed early is reason enough to refuse it.
_JUDGED_CHARACTERS = 72
GENERATE_HINT = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


@lru_cache(maxsize=8)  # a judgement costs ~0.1 s; tests build settings with one key many times
def is_guessable(secret: str) -> bool:
    """Whether an attacker's guessing would find `secret` within the bound above."""
    estimate = zxcvbn(secret[:_JUDGED_CHARACTERS])
    return float(estimate["guesses_log10"]) < MIN_GUESSES_LOG10
