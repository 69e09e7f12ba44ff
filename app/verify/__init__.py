"""The public verification pages (no sign-in): anyone given an issued document
(a bank, a land office) checks it by its code or QR code, or uploads the PDF
and is told whether it is authentic and unchanged. Rate-limited; shows no
personal data; an unknown code gets the same answer however it is guessed.
May import cases, seals and web."""
