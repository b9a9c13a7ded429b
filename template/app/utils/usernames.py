"""Username rules: what a username may look like and which ones nobody may take."""

import re

USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 32
# A letter first, then letters, digits, `_` or `.`; ASCII only, so look-alike letters from
# other scripts cannot impersonate a name.
USERNAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_.]*")
# All the format rules below as one expression, for the OpenAPI schema: dot-separated parts,
# so no `..` and no trailing `.`.
USERNAME_SCHEMA_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$"

# Names that would pass for the service itself, its staff or a URL path. Compared on the
# normalised form, so `Admin` and `ADMIN` are reserved too.
RESERVED_USERNAMES = frozenset(
    {
        "about",
        "admin",
        "administrator",
        "api",
        "auth",
        "help",
        "login",
        "logout",
        "me",
        "moderator",
        "null",
        "official",
        "register",
        "root",
        "security",
        "settings",
        "staff",
        "support",
        "system",
        "undefined",
        "user",
        "users",
        "verify",
    }
)


def validate_username(username: str) -> str:
    """`username` unchanged if it may be registered, else ValueError saying why not."""
    validate_username_format(username)
    if is_reserved(username):
        raise ValueError("This username is reserved")
    return username


def validate_username_format(username: str) -> str:
    """`username` unchanged if it looks like one, else ValueError saying which rule it breaks."""
    if not USERNAME_MIN_LENGTH <= len(username) <= USERNAME_MAX_LENGTH:
        raise ValueError(
            f"A username has {USERNAME_MIN_LENGTH} to {USERNAME_MAX_LENGTH} characters"
        )
    if USERNAME_PATTERN.fullmatch(username) is None:
        raise ValueError(
            "A username starts with a letter and holds only letters, digits, `_` and `.`"
        )
    if ".." in username or username.endswith("."):
        raise ValueError("A username cannot end with `.` or hold `..`")
    return username


def is_reserved(username: str) -> bool:
    return normalize_username(username) in RESERVED_USERNAMES


def normalize_username(username: str) -> str:
    """The form uniqueness is checked on: `Alice` and `alice` are one username."""
    return username.casefold()
