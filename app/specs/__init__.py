"""Form specs: reading a spec file (safe YAML, JSON Schema, then the checks a
schema cannot make), compiling it into plain objects, field types, and storing
immutable versions.

Owns: loader.py and policy.py (compiling), model.py (the compiled spec),
models.py (SpecVersion), fieldtypes/ (one class per type), identifiers.py.
May import: app.lang (the expression language) and the app's base modules.
Never imports rules, documents, cases or a screen. `service.py` is the public face.
"""
