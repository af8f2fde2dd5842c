"""dspt adopt: bringing an organisation's existing documents in (see commands/adopt.py)."""
