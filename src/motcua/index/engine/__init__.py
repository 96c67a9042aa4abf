"""The index engine: pure Python, no Django (methodology, scoring, portal reader, facts)."""
