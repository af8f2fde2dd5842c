"""The compliance portal: pages as data, rendered by Jinja templates, and a thin MkDocs
adapter.

``site.build_site`` turns one check run into pages (path, plain-text title, template,
context) and the attachments to publish, one module per family in ``pages/``;
``templating.Renderer`` renders a page with autoescape on, looking first in the site's
``custom_dir`` under ``dspt/``. The MkDocs plugin in ``plugin.py`` only feeds those to
MkDocs, and ``dspt portal export DIR`` writes the same pages out for another generator.
"""
