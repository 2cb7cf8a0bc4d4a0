"""Scenario files: the safe YAML loader (``loader``, ``yamlsafe``), the schema (``types``,
``schema``, ``sections``, ``cards``, ``checks``), the typed configuration the rules read
(``config``) and the builder that turns a checked scenario into a game state (``build``).

This package sits just above the engine and below the rules: nothing here imports
``game.rules`` or anything above it."""
