"""The data shipped with the game. In a checkout the scenarios and maps are the top-level
``scenarios/`` and ``assets/`` folders; an installed copy of the game carries them here, as
``game/data/scenarios`` and ``game/data/assets`` (see pyproject.toml and game/engine/paths.py)."""
