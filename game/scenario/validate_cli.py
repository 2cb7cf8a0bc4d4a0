"""``python main.py validate PATH...``: check scenario and card-deck files.

Prints every problem as ``path:line:col: message`` and ``OK path`` for each valid file (all on
stdout); returns 0 if every file is valid, else 1. A bad file never produces a traceback.
"""

from __future__ import annotations

import sys

from ..engine.paths import resolve_scenario
from .errors import Problem
from .loader import validate_file


def cli_validate(paths: list[str], out=None) -> int:
    out = out if out is not None else sys.stdout
    if not paths:
        print("validate: give one or more scenario or card deck files (.yaml)", file=out)
        return 1
    failed = False
    for path in paths:
        try:
            problems = validate_file(resolve_scenario(path))
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
