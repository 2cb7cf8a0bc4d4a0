"""``python main.py validate PATH...``: check scenario, card-deck and scenario test files.

Prints every problem as ``path:line:col: message`` and ``OK path`` for each valid file (all on
stdout); returns 0 if every file is valid, else 1. A bad file never produces a traceback.
"""

from __future__ import annotations

import sys

from ..engine.paths import resolve_scenario
from .errors import Problem, ScenarioError
from .loader import validate_file
from .testfile import is_test_file, validate_test_file
from .yamlsafe import load_file


def problems_of(path) -> list[Problem]:
    """Every problem of a scenario, card deck, include file or scenario test file."""
    real = resolve_scenario(path)
    try:
        raw = load_file(real, str(path))
    except ScenarioError as exc:
        return exc.problems
    return validate_test_file(real) if is_test_file(raw) else validate_file(real)


def cli_validate(paths: list[str], out=None) -> int:
    out = out if out is not None else sys.stdout
    if not paths:
        print("validate: give one or more scenario or card deck files (.yaml)", file=out)
        return 1
    failed = False
    for path in paths:
        try:
            problems = problems_of(path)
        except Exception as exc:          # validate_file already catches; belt and braces
            problems = [Problem(str(path), 1, 1, f"internal error: {type(exc).__name__}: {exc}")]
        if problems:
            failed = True
            for p in problems:
                print(str(p), file=out)
        else:
            print(f"OK {path}", file=out)
    out.flush()
    return 1 if failed else 0


def main(argv=None) -> int:
    return cli_validate(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
