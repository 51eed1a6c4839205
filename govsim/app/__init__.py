"""The browser app (Solara): Explore, Compare, Case replay and About, in English and Chinese.

``govsim app [SCENARIO]`` serves it (see :mod:`govsim.app.server`); the pages live in
:mod:`govsim.app.pages`, per-session state in :mod:`govsim.app.session`, figures in
:mod:`govsim.app.figures` and every word in both languages in :mod:`govsim.app.i18n`.
"""
