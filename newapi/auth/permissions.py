"""Who may act on whom: New API's role rule for user management, as pure functions.

Roles: common user 1, admin 10, root 100. An actor acts only on users of a lower role; root
acts on everyone, but nobody demotes, disables or deletes a root user. A role can be granted
only below the actor's own (root grants admin).
"""

from __future__ import annotations

__all__ = [
    "ROLES",
    "ROLE_ADMIN",
    "ROLE_COMMON",
    "ROLE_ROOT",
    "STATUS_DISABLED",
    "STATUS_ENABLED",
    "can_act_on",
    "can_grant_role",
    "role_change_problem",
]

ROLE_COMMON = 1
ROLE_ADMIN = 10
ROLE_ROOT = 100
ROLES = (ROLE_COMMON, ROLE_ADMIN, ROLE_ROOT)
STATUS_ENABLED = 1
STATUS_DISABLED = 2


def can_act_on(actor_role: int, target_role: int) -> bool:
    """Whether an actor may read or change a user of ``target_role``."""
    return actor_role >= ROLE_ROOT or actor_role > target_role


def can_grant_role(actor_role: int, role: int) -> bool:
    """Whether an actor may give ``role`` to someone (never root, only below its own)."""
    return role in (ROLE_COMMON, ROLE_ADMIN) and role < actor_role


def role_change_problem(
    actor_role: int, target_role: int, *, role: int | None, status: int | None, delete: bool
) -> str | None:
    """Why the change is refused (a message), or None when it is allowed."""
    if not can_act_on(actor_role, target_role):
        return "you can only manage users of a lower role"
    if target_role >= ROLE_ROOT:
        if delete:
            return "the root user cannot be deleted"
        if role is not None and role != target_role:
            return "the root user cannot be demoted"
        if status is not None and status != STATUS_ENABLED:
            return "the root user cannot be disabled"
    if role is not None and role != target_role and not can_grant_role(actor_role, role):
        return "you can only grant a role below your own (1 common, 10 admin)"
    return None
