"""The campaign map's places as a Markdown table, for scenario and card authors (docs/places.md).

    python -m game.tools.place_list                  # write docs/places.md
    python -m game.tools.place_list --check          # exit 1 if docs/places.md is out of date

The list is made from the map asset itself (``assets/maps/korea_10km.npz``), so it names exactly
what a scenario's ``at:``, a card's ``place:`` or a test's ``holds:`` may use; tests/test_docs_generated.py
checks the committed page is current.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..engine.mapdata import MapData
from ..engine.paths import MAPS_DIR, REPO_ROOT

ASSET = MAPS_DIR / "korea_10km.npz"
OUT = REPO_ROOT / "docs" / "places.md"

HEADER = """# Places of the campaign map

Every place of the campaign map (`map: {{asset: korea_10km}}`), {count} in all: its name, the
other names it answers to (case does not matter), where it is, what kind of place it is and the
victory points its hex is worth in the campaign. A scenario names a place wherever it gives a
location (`at: Hungnam`), a card wherever it tests one (`controls: {{side: un, place: Seoul}}`)
and a scenario test wherever it checks one (`holds: Seoul`); a small battle may change a place's
points or add places of its own (`map.places` in docs/scenarios.md).

This page is made from the map file: after rebuilding the map run
`python -m game.tools.place_list` (a test fails while it is out of date).

| name | also | lat N | lon E | kind | port | VP |
|---|---|---:|---:|---|---|---:|
"""


def place_table(m: MapData) -> str:
    """The page: the header, then one row a place, north to south."""
    rows = []
    for p in sorted(m.places, key=lambda p: (-p.lat, p.lon, p.name)):
        also = ", ".join(p.aliases)
        rows.append(f"| {p.name} | {also} | {p.lat:.3f} | {p.lon:.3f} | {p.kind} | {'yes' if p.port else ''} "
                    f"| {p.vp} |")
    return HEADER.format(count=len(m.places)) + "\n".join(rows) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m game.tools.place_list", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is out of date")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    text = place_table(MapData.load(ASSET))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run python -m game.tools.place_list", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count(chr(10)) - HEADER.count(chr(10))} places)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
