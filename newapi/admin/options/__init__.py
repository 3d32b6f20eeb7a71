"""Root: the operational settings (``options`` table) and their live update."""
