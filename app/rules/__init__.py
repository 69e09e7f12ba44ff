"""The rules: which questions are shown (hidden means gone), which answers are
missing or contradict each other, who decides the project and which
materials it needs, from a compiled spec and a set of answers.

Owns: evaluation.py (the lazy Evaluation), visibility.py, completeness.py,
checks.py, outcome.py, answers.py (JSON answers). May import: app.specs,
app.lang and the app's base modules; never Flask, cases, documents or a
screen (`flask rules evaluate` lives with the other spec tools in app/publishing).
`service.py` is the public face.
"""
