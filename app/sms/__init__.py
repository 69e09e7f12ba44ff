"""The SMS outbox and its providers (console, Twilio): every message is a row
first and a network call second, retried until sent, exactly once.
Imports only the app's base modules. `service.py` is the public face."""
