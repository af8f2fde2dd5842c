"""One module per ``dspt`` verb."""
