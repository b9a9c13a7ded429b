"""Start-up checks of the settings: every problem at once, each by its variable's name.

A refusal never carries a value: pydantic's own error text echoes the input (the tail of a
secret, in a pod's log), so only the names and the reasons below leave this module.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError
from pydantic_settings import SettingsError

_CHECK_MARK = "__settings_check__"
# pydantic-settings names the field, and only the field, of a value it could not parse.
_UNPARSABLE_FIELD = re.compile(r'field "(\w+)"')


@dataclass(frozen=True)
class SettingProblem:
    """One refused setting: its variable name(s) and why, without its value."""

    setting: str
    reason: str

    def __str__(self) -> str:
        return f"{self.setting}: {self.reason}"


class InvalidSettingsError(ValueError):
    """The settings cannot run the service; `problems` lists every one found."""

    def __init__(self, problems: Iterable[SettingProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


type SettingsCheck = Callable[..., Iterable[SettingProblem]]


def settings_check[Check: SettingsCheck](check: Check) -> Check:
    """Marks a method of a settings class that yields the problems it finds.

    Every marked method of the composed class runs, so one start-up lists every problem
    (a model validator that raises would hide the problems of the validators after it).
    """
    setattr(check, _CHECK_MARK, True)
    return check


def find_problems(settings: BaseModel) -> list[SettingProblem]:
    """The problems of every check that `settings`' class and its mixins declare."""
    problems: list[SettingProblem] = []
    seen: set[str] = set()
    for cls in type(settings).__mro__:
        for name, member in vars(cls).items():
            if name in seen:
                continue
            seen.add(name)  # an override in a subclass replaces its base's check
            if getattr(member, _CHECK_MARK, False):
                problems.extend(getattr(settings, name)())
    return problems


def problems_of(error: ValidationError | SettingsError) -> list[SettingProblem]:
    """Names and reasons of a failed build, without the input pydantic's text would echo."""
    if isinstance(error, SettingsError):
        found = _UNPARSABLE_FIELD.search(str(error))
        name = found.group(1).upper() if found else "settings"
        return [SettingProblem(name, "could not be parsed (JSON expected for lists and maps)")]
    problems: list[SettingProblem] = []
    for detail in error.errors(include_input=False, include_url=False):
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, InvalidSettingsError):
            problems.extend(cause.problems)
            continue
        name = str(detail["loc"][0]).upper() if detail["loc"] else "settings"
        reason = detail["msg"].removeprefix("Value error, ")
        problems.append(SettingProblem(name, "required" if detail["type"] == "missing" else reason))
    return problems


def invalid_fields(error: ValidationError) -> set[str]:
    """The fields whose own value was refused (not the checks across fields)."""
    return {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
