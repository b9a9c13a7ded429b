import pytest

from app.utils.usernames import is_reserved, validate_username, validate_username_format


@pytest.mark.parametrize("username", ["ada", "Ada.Lovelace", "grace_hopper", "a2b", "x" * 32])
def test_validate_username_accepts_well_formed_names(username: str) -> None:
    assert validate_username(username) == username


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("ab", "3 to 32 characters"),
        ("x" * 33, "3 to 32 characters"),
        ("1abc", "starts with a letter"),
        ("_abc", "starts with a letter"),
        ("ab c", "only letters, digits"),
        ("ab-c", "only letters, digits"),
        ("Ådam", "starts with a letter"),  # non-ASCII look-alikes are refused
        ("abc.", "cannot end with"),
        ("a..b", "cannot end with"),
    ],
)
def test_validate_username_format_says_which_rule_is_broken(username: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_username_format(username)


@pytest.mark.parametrize("username", ["admin", "Admin", "SUPPORT", "root"])
def test_reserved_usernames_are_refused_in_any_case(username: str) -> None:
    assert is_reserved(username)
    assert validate_username_format(username) == username
    with pytest.raises(ValueError, match="reserved"):
        validate_username(username)
