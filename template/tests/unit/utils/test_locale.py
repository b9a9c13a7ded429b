import pytest

from app.utils.locale import preferred_locale


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, None),
        ("", None),
        ("fr", "fr"),
        ("pt-BR, pt;q=0.9, en;q=0.8", "pt-BR"),
        ("en;q=0.5, de;q=0.9", "de"),
        ("en, fr", "en"),  # equal weights: the first wins
        ("*, es;q=0.1", "es"),
        ("fr;q=0, it", "it"),  # q=0 means "not this one"
        ("de;q=abc, nl;q=0.2", "nl"),
        ("es;level=1", "es"),
        ("x" * 40, None),
    ],
)
def test_preferred_locale_takes_the_highest_weighted_tag(
    header: str | None, locale: str | None
) -> None:
    assert preferred_locale(header) == locale
