"""The site itself: home page, language switch, error pages, security headers
and the request log, template helpers, health checks, and the helpers every
screen uses (`service.py`: translating, query values, downloads, CSV).
May import auth (the demo command) and the app's base modules."""
