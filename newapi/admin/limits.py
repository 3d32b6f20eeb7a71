"""Request limits of the admin schema that need more than strawberry's extensions give."""

from __future__ import annotations

import contextlib

from strawberry.extensions import QueryDepthLimiter

from graphql import ASTValidationRule, ValidationContext

__all__ = ["DepthLimiter"]


def _tolerant(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    class TolerantDepthRule(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            # A spread of an unknown fragment raises KeyError; KnownFragmentNamesRule reports it.
            with contextlib.suppress(KeyError):
                rule(context)
            super().__init__(context)

    return TolerantDepthRule


class DepthLimiter(QueryDepthLimiter):
    """strawberry's depth limit, except that a document spreading an unknown fragment gets
    graphql-core's validation error (``bad_query``) instead of a ``KeyError`` (an internal
    error with a traceback in the log).
    """

    def __init__(self, max_depth: int) -> None:
        super().__init__(max_depth=max_depth)
        self.validation_rules = [_tolerant(rule) for rule in self.validation_rules]
