"""Entry point: `python main.py [play|simulate|validate|screenshot] ...` (see README.md)."""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main())
