"""Admin screens of publications, one module per concern (wired by ``wagtail_hooks``)."""
