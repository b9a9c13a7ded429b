"""Unit tests of the Jinja extensions in extensions/."""

import pytest
from jinja2 import Environment

from extensions.naming import NamingExtension, python_identifier, slugify
from extensions.secrets import SecretsExtension, random_secret
from extensions.validation import (
    ValidationExtension,
    is_email_address,
    is_k8s_name,
    yes_no_error,
)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("My Service", "my-service"),
        ("  Payments -- API v2 ", "payments-api-v2"),
        ("Crème brûlée", "creme-brulee"),
        ("42 Things", "things"),
        ("x" * 80, "x" * 63),
    ],
)
def test_slugify_makes_kubernetes_names(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert is_k8s_name(slugify(name))


def test_python_identifier() -> None:
    assert python_identifier("My Service") == "my_service"


@pytest.mark.parametrize("value", ["ab", "my-service", "a1", "a" * 63])
def test_valid_k8s_names(value: str) -> None:
    assert is_k8s_name(value)


@pytest.mark.parametrize("value", ["", "a", "A", "my_service", "-a", "a-", "1a", "a" * 64, 5])
def test_invalid_k8s_names(value: object) -> None:
    assert not is_k8s_name(value)


@pytest.mark.parametrize("value", ["a@b.co", "first.last+tag@sub.example.org"])
def test_valid_emails(value: str) -> None:
    assert is_email_address(value)


@pytest.mark.parametrize("value", ["", "a", "a@b", "a@@b.co", "a b@c.de", "a@b.c.", None])
def test_invalid_emails(value: object) -> None:
    assert not is_email_address(value)


def test_random_secret_is_long_and_fresh() -> None:
    secrets = {random_secret() for _ in range(50)}

    assert len(secrets) == 50
    assert all(len(secret) >= 43 for secret in secrets)  # 32 bytes, base64url
    assert len(random_secret(8)) >= 43  # never below PyJWT's HMAC minimum


def test_extensions_register_in_jinja() -> None:
    env = Environment(  # noqa: S701 - renders plain text, not HTML
        extensions=[NamingExtension, SecretsExtension, ValidationExtension]
    )

    rendered = env.from_string(
        "{{ 'My App' | slugify }} {{ 'a@b.co' is email_address }} "
        "{{ 'My_App' is k8s_name }} {{ random_secret() | length > 40 }}"
    ).render()

    assert rendered == "my-app True False True"


@pytest.mark.parametrize("value", [True, False, "yes", " No ", "TRUE", "off", "1", "0", 1, 0])
def test_yes_no_spellings_are_accepted(value: object) -> None:
    assert yes_no_error({"sentry": value}, "sentry") == ""


@pytest.mark.parametrize("value", ["maybe", "", "2", "yess", 2, None])
def test_other_yes_no_answers_are_refused(value: object) -> None:
    assert yes_no_error({"sentry": value}, "sentry").startswith("sentry must be yes or no")


def test_yes_no_question_without_a_given_answer_is_not_checked() -> None:
    assert yes_no_error({}, "sentry") == ""
