"""The case: an application, its frozen submissions, its files and
deferrals, its events, its packet, and the moves between its states.

Owns: models.py (tables), states.py (states, the one transition table, their
names), lifecycle.py (start, save, submit, decide), evaluation.py (one lazy
evaluation per request), materials.py (the checklist and uploads),
filestore.py + pdfcheck.py (files on disk), packets.py, notices.py (every
applicant SMS), queue.py (lists of cases), lookups.py, samples.py (a case
without a database). Nothing of HTTP. May import specs, rules, documents, sms
and the app's base modules; never a screen. `service.py` is the public face.
"""
