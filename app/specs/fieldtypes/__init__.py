"""Field types: one small class per type, in a registry keyed by type name.

Each type owns every way its fields are used (see base.FieldType): reading a
form post or JSON into a stored value, the required message, the typed value
expressions see, how it prints in each language, and which input draws it.
Adding a field type means adding one class here and, for a new widget, one
macro in wizard/_inputs.html.
"""

from app.specs.fieldtypes import choice, identity, numbers, table, text, time  # noqa: F401  (registers types)
from app.specs.fieldtypes.base import FieldType, FieldValueError, registry

__all__ = ["FieldType", "FieldValueError", "get", "registry"]


def get(name):
    return registry[name]
