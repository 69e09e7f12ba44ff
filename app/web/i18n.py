from functools import cache

from babel import Locale
from flask import current_app, g, session
from flask_babel import get_translations


def selected_language():
    """The configured code (zh_CN, en): Chinese unless the visitor chose another
    language with the switch."""
    lang = session.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@cache
def _locale(code):
    # Locale.parse scans Babel's list of locale files (about 1 ms a request);
    # the few languages we offer are parsed once per process instead.
    return Locale.parse(code)


def current_lang():
    """The visitor's language as configured (zh_CN or en), for spec texts and answers."""
    return selected_language()


def select_locale():
    """Flask-Babel's locale selector."""
    return _locale(selected_language())


def _translations():
    # Flask-Babel looks the catalogue up again for every string (a dozen
    # context-local lookups each); a page has dozens of strings, so the
    # catalogue is looked up once per request and kept on `g`.
    try:
        return g._onetrip_translations
    except AttributeError:
        g._onetrip_translations = translations = get_translations()
        return translations


def translate(message):
    """`message` (a source string marked with N_) in the visitor's language."""
    return _translations().ugettext(message)


def install_template_gettext(app):
    """Templates' _(), ngettext() etc., with the catalogue fetched once per request."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def error_text(exc):
    """A UserError in the visitor's language, its text params translated too (they may be msgids)."""
    params = {k: translate(v) if isinstance(v, str) else v for k, v in exc.params.items()}
    return _translations().ugettext(exc.message) % params if params else _translations().ugettext(exc.message)
