"""No models: the limits live in Django's cache (this module makes the app receive post_migrate)."""
