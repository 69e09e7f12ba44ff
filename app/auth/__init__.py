"""Phone sign-in with SMS codes (sign-in is registration), accounts, sessions
and roles. May import sms and the app's base modules. `service.py` is the public face."""
