from flask import current_app, session


def select_locale():
    """Chinese unless the visitor chose another language with the switch."""
    lang = session.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]
