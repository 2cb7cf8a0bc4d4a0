"""Scenario files: the safe YAML loader and schema (loader, schema, checks) and the builder
that turns a checked scenario into a game (build). Importing the package registers the
builder's map checks with the loader, so every load and every ``validate`` runs them."""

from . import build as _build

_build._register()
