"""The bottom floor: plumbing every app may use and that knows no domain (formats, …)."""
