"""The one check of what a piece of the language may read, made when a spec
or template is loaded, so that a typo or an attack is a clear load error with
its place, never a blank in a form or code that runs."""

from jinja2 import meta

from app.lang.sandbox import attribute_names, private_access_problems, text_statement_problems


def names_read(tree, functions=()):
    """The variable names a parsed expression or text reads (functions excluded)."""
    return meta.find_undeclared_variables(tree) - set(functions)


def problems(tree, allowed, field_ids=(), field_maps=()):
    """Everything wrong with a parsed text: private attributes, statements other
    than if/for, names outside `allowed`, and `answers.x`-style reads (for each
    name in `field_maps`) of fields not in `field_ids`."""
    found = private_access_problems(tree) + text_statement_problems(tree)
    unknown = names_read(tree) - set(allowed)
    if unknown:
        found.append(f"unknown names: {', '.join(sorted(unknown))}")
    for node, name in attribute_names(tree):
        owner = getattr(node.node, "name", None)
        if owner in field_maps and name not in field_ids:
            found.append(f"'{owner}.{name}': the spec has no field '{name}'")
    return found
