"""The layers of docs/architecture.md import in one direction only; this holds them to it."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"

# Package under app/ -> module prefixes none of its modules may import.
FORBIDDEN_IMPORTS = {
    "services": ("sqlalchemy", "fastapi", "starlette", "app.api"),
    "integrations": ("fastapi", "starlette", "app.api", "app.services", "app.tasks", "app.db"),
    "crud": ("fastapi", "starlette", "app.api", "app.services"),
    "models": ("fastapi", "starlette", "app.api", "app.services", "app.crud"),
    "schemas": ("sqlalchemy", "app.api", "app.services", "app.crud", "app.db"),
}


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((APP / package).rglob("*.py")):
        for module in sorted(imported_modules(path)):
            if any(module == prefix or module.startswith(f"{prefix}.") for prefix in forbidden):
                found.append(f"{path.relative_to(APP.parent)} imports {module}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN_IMPORTS))
def test_a_layer_imports_nothing_above_it(package: str) -> None:
    assert violations(package, FORBIDDEN_IMPORTS[package]) == []


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "import fastapi\nfrom sqlalchemy.exc import IntegrityError\nfrom . import x\n"
    )

    assert imported_modules(module) == {"fastapi", "sqlalchemy.exc"}
