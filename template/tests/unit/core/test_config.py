from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from app.core.config import (
    DevelopmentSettings,
    Settings,
    TestingSettings,
    get_settings,
    load_settings,
)
from app.core.config.app import INSECURE_DEVELOPMENT_KEY
from app.core.config.checks import InvalidSettingsError
from tests.production import production_settings


def test_development_starts_with_no_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_ENV", raising=False)
    settings = DevelopmentSettings(_env_file=None)

    assert settings.debug is True
    assert settings.log_json is False
    assert settings.secret_key.get_secret_value() == INSECURE_DEVELOPMENT_KEY


@pytest.mark.parametrize(
    ("app_env", "expected"),
    [("development", DevelopmentSettings), ("test", TestingSettings)],
)
def test_app_env_selects_the_settings_class(
    app_env: str, expected: type[Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_ENV", app_env)

    assert type(load_settings()) is expected


def test_get_settings_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "test")
    get_settings.cache_clear()
    try:
        assert get_settings() is get_settings()
    finally:
        get_settings.cache_clear()


def test_get_settings_stops_the_process_on_refused_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(Path(__file__).parent)  # no .env
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a" * 40)
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            get_settings()
    finally:
        get_settings.cache_clear()

    message = str(stopped.value.code)
    assert "\n  SECRET_KEY: too easy to guess" in message
    assert "aaaa" not in message


def test_production_requires_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(ValidationError, match="SECRET_KEY: required in production"):
        production_settings(secret_key=SecretStr(INSECURE_DEVELOPMENT_KEY))


@pytest.mark.parametrize(
    "weak",
    [
        "short",
        "a" * 40,  # long, and guessed at once
        "production-secret-key-of-at-least-32-bytes",  # common words
        "abcdefghijklmnopqrstuvwxyz0123456789",  # a sequence
    ],
)
def test_production_refuses_guessable_secret_keys(weak: str) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY: too easy to guess"):
        production_settings(secret_key=SecretStr(weak))


def test_production_refuses_debug() -> None:
    with pytest.raises(ValidationError, match="DEBUG: must be off"):
        production_settings(debug=True)


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "ERROR")
    monkeypatch.setenv("CORS_ALLOW_ORIGINS", '["https://app.example.com"]')

    settings = TestingSettings(_env_file=None)

    assert settings.log_level == "ERROR"
    assert settings.cors_allow_origins == ["https://app.example.com"]


def test_invalid_values_are_refused_with_the_variable_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "LOUD")

    with pytest.raises(ValidationError, match="log_level"):
        TestingSettings(_env_file=None)


def test_secret_files_fill_unset_settings(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("a-secret-mounted-as-a-file-of-32-bytes+")

    settings = TestingSettings(_env_file=None, _secrets_dir=tmp_path)

    assert settings.secret_key.get_secret_value() == "a-secret-mounted-as-a-file-of-32-bytes+"


def test_environment_wins_over_secret_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "log_level").write_text("ERROR")
    monkeypatch.setenv("LOG_LEVEL", "INFO")

    assert TestingSettings(_env_file=None, _secrets_dir=tmp_path).log_level == "INFO"


def test_a_missing_secrets_folder_is_not_an_error(tmp_path: Path) -> None:
    assert TestingSettings(_env_file=None, _secrets_dir=tmp_path / "absent").log_level


def test_a_complete_production_configuration_starts() -> None:
    settings = production_settings()

    assert settings.app_env == "production"
    assert settings.debug is False


def test_production_checks_apply_however_the_class_is_built() -> None:
    with pytest.raises(ValidationError, match="app_env"):
        production_settings(app_env="development")


def test_an_unparsable_value_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parent)  # no .env
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a" * 40)
    monkeypatch.setenv("DEBUG", "true")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "many")
    monkeypatch.setenv("FEATURE_FLAGS", "not json")
    monkeypatch.delenv("DATABASE_URL", raising=False)

    with pytest.raises(InvalidSettingsError) as raised:
        load_settings()

    settings = {problem.setting for problem in raised.value.problems}
    assert settings == {"FEATURE_FLAGS"}  # unparsable input stops before validation


def test_each_check_reports_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parent)  # no .env
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DEBUG", "true")

    with pytest.raises(InvalidSettingsError) as raised:
        load_settings()

    settings = [problem.setting for problem in raised.value.problems]
    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL"} <= set(settings)
    assert len(settings) == len(set(settings))


def test_refused_values_and_checks_are_reported_together(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parent)  # no .env
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a" * 40)
    monkeypatch.setenv("DEBUG", "true")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "many")
    monkeypatch.delenv("DATABASE_URL", raising=False)

    with pytest.raises(InvalidSettingsError) as raised:
        load_settings()

    settings = [problem.setting for problem in raised.value.problems]
    assert settings[0] == "DATABASE_POOL_SIZE"  # the refused value, then every check's finding
    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DATABASE_POOL_SIZE"} <= set(settings)
    assert len(settings) == len(set(settings))
    assert "aaaa" not in str(raised.value)
    assert "many" not in str(raised.value)
