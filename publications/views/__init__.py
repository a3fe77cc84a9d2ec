"""Public and staff views of publications, one module per concern."""
