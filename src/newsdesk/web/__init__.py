"""The newsroom on the web: public site, editor desk and JSON API in one FastAPI app."""

from newsdesk.web.app import create_app

__all__ = ["create_app"]
