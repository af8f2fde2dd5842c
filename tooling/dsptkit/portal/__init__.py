"""The compliance portal: pages as data, rendered by Jinja templates, and a thin MkDocs
adapter.

``site.build_site`` turns one check run into pages (path, plain-text title, template,
context) and the attachments to publish, one module per family in ``pages/``;
``templating.Renderer`` renders a page with autoescape on, looking first in the site's
``custom_dir`` under ``dspt/``. The MkDocs plugin in ``plugin.py`` only feeds those to
MkDocs, ``dspt portal export DIR`` writes the same pages out for another generator, and
``dspt portal pdf`` prints them (``pdf.py``).

The portal needs the ``portal`` extra (``pip install 'dsptkit[portal]'``): a core install
has the check alone. Nothing in this file imports any of it.
"""

from __future__ import annotations

from importlib.util import find_spec

# the values of DSPT_PORTAL_PUBLIC and DSPT_PORTAL_INTERNAL that mean yes
TRUE = ("1", "true", "yes")

# what rendering a page imports (jinja2 with its markupsafe, markdown, nh3); MkDocs and
# Material build the site, and MkDocs only ever loads the plugin when it is installed
RENDERING = ("jinja2", "markupsafe", "markdown", "nh3", "icalendar")  # icalendar: due.ics


def missing(modules: tuple[str, ...] = RENDERING) -> list[str]:
    """The modules of the portal extra that are not installed."""
    return [name for name in modules if find_spec(name) is None]


def needs_extra(command: str, modules: tuple[str, ...] = RENDERING) -> str | None:
    """What to tell someone who runs ``command`` without the portal extra, or None when it
    is installed: ``dspt portal pdf needs the portal extra: pip install 'dsptkit[portal]'``."""
    gone = missing(modules)
    if not gone:
        return None
    from dsptkit.install import extra_install_command

    return (f"{command} needs the portal extra: {extra_install_command('portal')} (not installed: "
            f"{', '.join(gone)})")
