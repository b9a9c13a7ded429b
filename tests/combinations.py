"""Answer combinations, computed from copier.yml so a new question or choice joins the matrix."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

COPIER_YML = Path(__file__).resolve().parent.parent / "copier.yml"

Answers = dict[str, Any]

# Questions that change only non-Python files (image tags, docs): the matrix keeps their
# default, and tests/test_static_answers.py validates the files of each other value.
STATIC_ONLY_QUESTIONS = frozenset({"postgresql_version"})


def load_questions() -> dict[str, dict[str, Any]]:
    config = yaml.safe_load(COPIER_YML.read_text())
    return {
        name: spec
        for name, spec in config.items()
        if not name.startswith("_") and isinstance(spec, dict) and spec.get("when") is not False
    }


def question_values(spec: dict[str, Any]) -> list[Any]:
    """The values a choice/bool question can take, default first ([] for free text)."""
    if spec.get("type") == "bool":
        values: list[Any] = [True, False]
    elif "choices" in spec:
        choices = spec["choices"]
        values = list(choices.values() if isinstance(choices, dict) else choices)
    else:
        return []
    return sorted(values, key=lambda value: value != spec.get("default"))


def varying_questions() -> dict[str, list[Any]]:
    """Every choice/bool question the matrix varies and its values, default first."""
    varying: dict[str, list[Any]] = {}
    for name, spec in load_questions().items():
        values = question_values(spec)
        if values and name not in STATIC_ONLY_QUESTIONS:
            varying[name] = values
    return varying


def defaults() -> Answers:
    return {name: values[0] for name, values in varying_questions().items()}


def all_combinations() -> list[Answers]:
    """Every combination, each differing from the one before in a single answer (a Gray code,
    the last question flipping most often): a harness worker checks its share in this order
    in one folder, so each render rewrites few files and the caches keyed by file content
    (bytecode, pytest's rewritten tests, mypy's) stay warm."""
    questions = varying_questions()
    names = list(questions)
    return [dict(zip(names, values, strict=True)) for values in gray_code(list(questions.values()))]


def gray_code(choices: list[list[Any]]) -> Iterator[tuple[Any, ...]]:
    """The product of `choices`, consecutive tuples differing in exactly one place: each
    value of the first list in turn, before the tails in alternating directions."""
    if not choices:
        yield ()
        return
    tails = list(gray_code(choices[1:]))
    for index, value in enumerate(choices[0]):
        for tail in tails if index % 2 == 0 else reversed(tails):
            yield (value, *tail)


def quick_combinations() -> list[Answers]:
    """The defaults, each non-default value of each question on top of the defaults, and the
    combinations that measure coverage."""
    base = defaults()
    quick = [base]
    for name, values in varying_questions().items():
        quick.extend({**base, name: value} for value in values[1:])
    quick.extend(answers for answers in coverage_combinations() if answers not in quick)
    return quick


def coverage_combinations() -> list[Answers]:
    """The fewest combinations in which every value of every question appears: the defaults,
    then each question's next value, and so on (a question out of values keeps its last).
    """
    questions = varying_questions()
    widest = max(len(values) for values in questions.values())
    return [
        {name: values[min(index, len(values) - 1)] for name, values in questions.items()}
        for index in range(widest)
    ]


def combination_id(answers: Answers) -> str:
    """Short, stable and readable: only what differs from the defaults."""
    base = defaults()
    changed = [f"{name}-{value}" for name, value in answers.items() if base[name] != value]
    return "+".join(changed) or "defaults"


def iter_matrix() -> Iterator[tuple[str, Answers, bool, bool]]:
    """(id, answers, in the quick subset, measures coverage) for every combination."""
    quick_ids = {combination_id(answers) for answers in quick_combinations()}
    coverage_ids = {combination_id(answers) for answers in coverage_combinations()}
    for answers in all_combinations():
        ident = combination_id(answers)
        yield ident, answers, ident in quick_ids, ident in coverage_ids
