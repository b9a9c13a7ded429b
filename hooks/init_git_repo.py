"""Post-copy task: make a fresh project a git repository.

`copier update` merges template changes through git, so a project outside any repository
could never be updated. A project rendered inside an existing repository is left as it is.
"""

import subprocess


def main() -> None:
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], capture_output=True, check=False
    )
    if inside.returncode != 0:
        subprocess.run(["git", "init", "--quiet"], check=True)


if __name__ == "__main__":
    main()
