"""The documents engine: a compiled spec and a case's plain data (CaseData) →
document model → Word (python-docx) and PDF (ReportLab) bytes, and packets.

Owns: templates.py (YAML layouts, compiled in the app/lang sandbox), data.py
(CaseData and its one builder), context.py, layout.py, model.py, pdf.py,
word.py, fonts.py (the shipped CJK font), packet.py (zip + manifest).
May import: app.specs, app.lang and the app's base modules; never rules, cases
or a screen. `service.py` is the public face.
"""
