"""Signed-in: the models the caller's groups reach, with their prices (New API's /api/pricing)."""
