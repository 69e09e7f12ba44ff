"""Sealing issued documents and checking seals: a PAdES signature of the
issuing office on a PDF (pyHanko), with the key and certificate from the
configuration, and the check anyone can ask for on the public page.

Owns: signer.py (the Signer interface and the PAdES signer), examine.py
(what a given PDF's seal says), devseal.py (a self-signed development office
certificate in instance/), blocking.py (pyHanko's calls run where an event
loop is running). Imports only the app's base modules; documents and
cases know nothing of keys. `service.py` is the public face.

A legally binding Chinese 电子印章 is an SM2 signature (GB/T 38540) made by the
government's e-seal platform, which pyHanko cannot make; a provincial e-seal
service plugs in as another Signer (docs/sealing.md).
"""
