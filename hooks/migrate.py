"""Answer and file migrations that copier.yml's `_migrations` run before an update.

Copier runs this with its own Python in the project's folder, before it re-renders, and then
reads the answers again, so a renamed question keeps the team's answer. Standard library only.

    migrate.py rename-answer OLD NEW        a question was renamed
    migrate.py rename-value KEY OLD NEW     a choice value was renamed
    migrate.py move-file OLD NEW            a file the team may have edited moved

Each step is idempotent: running it twice, or on a project that never had the old name,
changes nothing.
"""

import argparse
import re
import sys
from pathlib import Path

ANSWERS_FILE = Path(".copier-answers.yml")


def rename_answer(old: str, new: str) -> None:
    text = ANSWERS_FILE.read_text()
    if re.search(rf"^{re.escape(new)}:", text, re.MULTILINE):
        return
    ANSWERS_FILE.write_text(re.sub(rf"^{re.escape(old)}:", f"{new}:", text, flags=re.MULTILINE))


def rename_value(key: str, old: str, new: str) -> None:
    pattern = rf"^({re.escape(key)}:\s*)(['\"]?){re.escape(old)}\2\s*$"
    text = ANSWERS_FILE.read_text()
    ANSWERS_FILE.write_text(re.sub(pattern, rf"\g<1>{new}", text, flags=re.MULTILINE))


def move_file(old: str, new: str) -> None:
    source, target = Path(old), Path(new)
    if source.exists() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        source.rename(target)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    for name, arguments in (
        ("rename-answer", ("old", "new")),
        ("rename-value", ("key", "old", "new")),
        ("move-file", ("old", "new")),
    ):
        step = steps.add_parser(name)
        for argument in arguments:
            step.add_argument(argument)
    args = vars(parser.parse_args(argv))
    step = args.pop("step")
    {"rename-answer": rename_answer, "rename-value": rename_value, "move-file": move_file}[step](
        **args
    )
    print(f"migrate.py {step} {' '.join(args.values())}: done", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
