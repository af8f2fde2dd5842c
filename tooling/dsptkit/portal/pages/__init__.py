"""The portal's page builders, one module per family: each turns the shared view of the
check run (:class:`~dsptkit.portal.view.SiteView`) into pages as data
(:class:`~dsptkit.portal.site.Page`), for the templates of the same names to render."""
