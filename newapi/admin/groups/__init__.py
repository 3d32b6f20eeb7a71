"""Signed-in: the groups (routing and pricing tiers) the caller may see."""
