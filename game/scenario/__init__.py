"""Scenario files: the safe YAML loader and schema (loader, schema, checks) and the builder
that turns a checked scenario into a game (build). Importing the package registers the
builder's map checks and the rule sections' cross-checks with the loader, so every load and
every ``validate`` runs them."""

from . import build as _build
from . import schema as _schema  # noqa: F401 - the schema loads the sections (they import it)
from .sections import politics as _politics

_build._register()
_politics.register()
