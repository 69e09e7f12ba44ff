"""HTML pieces of inputs, built once per field: <option> lists (per
language) and the attributes the field type asks for.

The industry list has over a hundred options; looping over them in Jinja took
a few milliseconds on every visit to the project step. The options of a
compiled spec never change, so their HTML is built once and only the
`selected` mark is placed per request."""

import weakref

from markupsafe import Markup, escape

SELECTED = " selected"
# Kept here, beside the HTML it holds, not on the shared spec model; a field's
# entry goes when its compiled spec goes.
_PARTS = weakref.WeakKeyDictionary()


def _option(value, label):
    return (f'<option value="{escape(value)}"', f">{escape(label)}</option>")


def _parts(field, lang, grouped):
    """[(value, HTML before the selected mark, HTML after it)]; value None for fixed text."""
    key = ("grouped" if grouped else "flat", "en" if lang.startswith("en") else "zh")
    rendered = _PARTS.setdefault(field, {})
    if key not in rendered:
        parts = []
        if grouped:
            coded = field.type.name == "industry"  # GB/T 4754 options are found by code as well as name
            for heading, children in field.option_groups(lang):
                if heading is not None:
                    parts.append((None, f'<optgroup label="{escape(heading)}">', ""))
                for o in children:
                    parts.append((o["value"], *_option(o["value"], f'{o["value"]} {o["label"]}' if coded
                                                       else o["label"])))
                if heading is not None:
                    parts.append((None, "</optgroup>", ""))
        else:
            parts = [(o["value"], *_option(o["value"], o["label"])) for o in field.options_for(lang)]
        rendered[key] = parts
    return rendered[key]


def select_options(field, lang, current, grouped=False):
    """The <option> elements of a select (optgroups by section when `grouped`), `current` selected."""
    # Every piece was escaped when it was built (_option, _parts).
    return Markup("".join(  # noqa: S704
        before + (SELECTED if value is not None and value == current else "") + after
        for value, before, after in _parts(field, lang, grouped)
    ))


_ATTRIBUTES = weakref.WeakKeyDictionary()


def input_attributes(field):
    """` name="value"…` for the field type's input_attributes(field), escaped, built once per field."""
    if field not in _ATTRIBUTES:
        _ATTRIBUTES[field] = Markup("".join(  # noqa: S704 - every name and value is escaped here
            f' {escape(name)}="{escape(value)}"' for name, value in field.type.input_attributes(field).items()))
    return _ATTRIBUTES[field]
