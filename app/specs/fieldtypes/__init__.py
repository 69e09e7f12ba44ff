"""Field types: one small class per type, in a registry keyed by type name.

A field type knows the WTForms field it makes, how it cleans submitted data
into a stored (JSON) value, how a stored value becomes a typed value for
expressions, and how it prints in summaries and documents.
"""

from app.specs.fieldtypes import choice, identity, numbers, table, text, time  # noqa: F401  (registers types)
from app.specs.fieldtypes.base import FieldType, FieldValueError, registry

__all__ = ["FieldType", "FieldValueError", "get", "registry"]


def get(name):
    return registry[name]
