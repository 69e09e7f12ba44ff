"""The officers' screens: the queue (filters, search, CSV), the case page with
its decisions, files, documents and packet, working days and statistics.
May import cases, specs, auth and web; owns no tables."""
