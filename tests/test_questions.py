"""copier.yml: the matrix is derived from it, and bad answers are refused with a message."""

import itertools
import math
import re
from pathlib import Path

import pytest
from copier import run_copy

from tests.combinations import (
    all_combinations,
    gray_code,
    quick_combinations,
    varying_questions,
)
from tests.harness.render import TEMPLATE_ROOT, render


def test_matrix_is_the_product_of_every_choice() -> None:
    sizes = [len(values) for values in varying_questions().values()]

    assert len(all_combinations()) == math.prod(sizes) == 128
    assert len({tuple(answers.items()) for answers in all_combinations()}) == 128


def test_consecutive_combinations_differ_in_one_answer() -> None:
    combinations = all_combinations()
    for before, after in itertools.pairwise(combinations):
        assert sum(before[name] != after[name] for name in before) == 1, (before, after)
    assert list(gray_code([[1, 2, 3], ["a", "b"]])) == [
        (1, "a"),
        (1, "b"),
        (2, "b"),
        (2, "a"),
        (3, "a"),
        (3, "b"),
    ]


def test_quick_subset_covers_every_value() -> None:
    for name, values in varying_questions().items():
        assert {answers[name] for answers in quick_combinations()} == set(values)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"project_name": "   "}, "project_name must not be empty"),
        ({"project_slug": "My_Service"}, "project_slug must be a valid Kubernetes name"),
        ({"project_slug": "1service"}, "project_slug must be a valid Kubernetes name"),
        ({"project_slug": "service-"}, "project_slug must be a valid Kubernetes name"),
        ({"project_slug": "s" * 64}, "project_slug must be a valid Kubernetes name"),
        ({"author_email": "platform.example.com"}, "author_email must be an e-mail address"),
        ({"author_email": "a b@example.com"}, "author_email must be an e-mail address"),
        ({"prometheus": "maybe"}, "prometheus must be yes or no"),
        ({"sentry": "nope"}, "sentry must be yes or no"),
        ({"opentelemetry": ""}, "opentelemetry must be yes or no"),
        ({"email_verification": "2"}, "email_verification must be yes or no"),
        ({"author_email": "a@b"}, "author_email must be an e-mail address"),
        ({"author_email": "a@@b.co"}, "author_email must be an e-mail address"),
        ({"author_email": "a@b.c."}, "author_email must be an e-mail address"),
        ({"project_slug": "a"}, "project_slug must be a valid Kubernetes name"),
    ],
    ids=[
        "empty-name",
        "uppercase-slug",
        "digit-first-slug",
        "dash-last-slug",
        "long-slug",
        "email-without-at",
        "email-with-space",
        "yes-no-any-word",
        "yes-no-typo",
        "yes-no-empty",
        "yes-no-number",
        "email-without-domain-dot",
        "email-two-ats",
        "email-dot-last",
        "one-letter-slug",
    ],
)
def test_bad_answers_are_refused_with_a_message(
    answers: dict[str, str], message: str, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match=message):
        render(tmp_path / "project", answers)

    assert not (tmp_path / "project" / "pyproject.toml").exists()


def test_bad_choice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="database"):
        render(tmp_path / "project", {"database": "mysql"})


@pytest.mark.parametrize(
    ("spelling", "expected"), [("No", "false"), ("off", "false"), ("y", "true")]
)
def test_yes_no_answers_accept_the_usual_spellings(
    spelling: str, expected: str, tmp_path: Path
) -> None:
    project = render(tmp_path / "project", {"prometheus": spelling})

    assert f"prometheus: {expected}" in (project / ".copier-answers.yml").read_text()


def test_slug_defaults_to_a_slug_of_the_name(tmp_path: Path) -> None:
    project = render(tmp_path / "project", {"project_name": "Ünïcode Café Service!"})

    assert 'name = "unicode-cafe-service"' in (project / "pyproject.toml").read_text()


def test_answers_file_records_the_answers_for_updates(tmp_path: Path) -> None:
    project = render(tmp_path / "project", {"worker": "none"}, template=TEMPLATE_ROOT)
    answers = (project / ".copier-answers.yml").read_text()

    assert "worker: none" in answers
    assert "_commit:" in answers
    assert "settings_mixins" not in answers  # computed, never asked


def test_each_render_gets_its_own_development_secret(tmp_path: Path) -> None:
    first = (render(tmp_path / "a", {}) / ".env").read_text()
    second = (render(tmp_path / "b", {}) / ".env").read_text()

    assert "SECRET_KEY=" in first
    assert first != second


def test_stock_copier_renders_without_trust(tmp_path: Path) -> None:
    """No extensions and no tasks: Copier asks for no --trust (unsafe=False)."""
    run_copy(str(TEMPLATE_ROOT), str(tmp_path / "p"), defaults=True, vcs_ref="HEAD", quiet=True)

    assert (tmp_path / "p" / "pyproject.toml").exists()
    assert not (tmp_path / "p" / ".git").exists()  # the README's first step is `git init`


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("My Service", "my-service"),
        ("  Payments -- API v2 ", "payments-api-v2"),
        ("Crème brûlée", "creme-brulee"),
        ("42 Things", "things"),
        ("x" * 80, "x" * 63),
        ("a" * 62 + " b", "a" * 62),  # cut at 63, then no dash at the end
    ],
)
def test_slug_default_is_a_kubernetes_name(name: str, slug: str, tmp_path: Path) -> None:
    project = render(tmp_path / "project", {"project_name": name})

    assert f'name = "{slug}"' in (project / "pyproject.toml").read_text()


def test_development_secret_has_256_random_bits(tmp_path: Path) -> None:
    env = (render(tmp_path / "project", {}) / ".env").read_text()

    assert re.search(r"^SECRET_KEY=[0-9a-f]{64}$", env, re.MULTILINE)
