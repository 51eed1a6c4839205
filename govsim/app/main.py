"""The module ``solara run`` loads: it only exposes the app's :func:`Page`."""

from govsim.app.pages import Page

__all__ = ["Page"]
