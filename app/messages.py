"""Messages written in one place and translated where they are shown.

Source strings are Chinese (the site is Chinese first). Lower layers (rules,
specs, cases) have no request and no language: they mark their messages with
`N_` so `scripts/i18n.sh` extracts them, and raise or return them as msgids
with `%(name)s` parameters; the page that shows one translates it.
"""


def N_(message):
    """Marks `message` for extraction; it is translated where it is shown."""
    return message


class UserError(ValueError):
    """Something the user must change, as a Chinese msgid with `%(name)s`
    params (which may be msgids themselves, e.g. a status name); the page that
    shows it translates both (web.service.error_text)."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params
