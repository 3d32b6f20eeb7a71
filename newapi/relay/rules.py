"""Request rewrites from gateway.toml: model renames (exact or glob, optionally per group)."""

from __future__ import annotations

from fnmatch import fnmatchcase

from newapi.config.model import RenameRule

__all__ = ["rename"]


def rename(rules: tuple[RenameRule, ...], model: str, group: str) -> str:
    """The model name routing uses: the first matching rule's target, else ``model``."""
    for rule in rules:
        if rule.groups and group not in rule.groups:
            continue
        if rule.match == model or ("*" in rule.match and fnmatchcase(model, rule.match)):
            return rule.to
    return model
