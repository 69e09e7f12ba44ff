"""Publishing specs: the gate a version must pass before it goes live (its
spec compiles, every template compiles against it, every golden example
holds, and every document renders for every golden example), and the
command-line tools that check, publish, export and try spec files
(`flask specs …`, `flask rules evaluate`, `flask documents render`).

Owns: gate.py, commands.py. May import specs, rules, documents, cases and the
app's base modules; never a screen. `service.py` is the public face, used by
the admins' screens and the commands alike.
"""
