"""The browser app (Solara): Explore, Compare, Case replay, Class round and About, in
English and Chinese, drawn in the browser from data the server sends.

``govsim app [SCENARIO]`` serves it (:mod:`govsim.app.server`). The shell is
:mod:`govsim.app.pages`, one module per page (``explore``, ``compare``, ``replay_page``,
``round_page``, ``about``) and their shared ``components``; per-session models and the
play engine in :mod:`govsim.app.session` and :mod:`govsim.app.playback`; what the browser
draws in :mod:`govsim.app.views`, :mod:`govsim.app.charts` and :mod:`govsim.app.widgets`;
the case's story in :mod:`govsim.app.narrative`; the participatory round in
:mod:`govsim.app.classround`; every word in both languages in :mod:`govsim.app.i18n`.
"""
