"""The compliance portal: pages as pure functions of the model, and a thin MkDocs adapter.

``pages.build_site`` turns a check run into pages (path, title, Markdown) and assets; the
MkDocs plugin in ``plugin.py`` only feeds those to MkDocs. Another generator can be fed the
same pages (``dspt portal export DIR`` writes them out).
"""
