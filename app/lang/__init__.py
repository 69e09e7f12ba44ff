"""The one expression language of specs and document templates: Jinja2
expressions and texts in a bounded sandbox, the check of what they may read,
and the safe YAML reader for files admins edit.

Owns: sandbox.py (limits), expressions.py (Expression, TextTemplate),
templates.py (document template pieces), names.py (the name checker),
functions.py (what expressions may call), yamlfile.py (safe YAML, problems
with file, line and path). Imports nothing of the app but `app.messages`;
`service.py` is the public face.
"""
