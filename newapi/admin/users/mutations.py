"""Admin: create, update and (soft) delete users under New API's role rule."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from newapi.admin.access import Denied, IsAdmin
from newapi.admin.results import BigInt, Deleted, field_errors, from_invalid
from newapi.admin.users.types import (
    CreateUserInput,
    CreateUserResult,
    UpdateUserInput,
    UpdateUserResult,
    User,
)
from newapi.auth.permissions import (
    ROLE_COMMON,
    STATUS_DISABLED,
    STATUS_ENABLED,
    can_act_on,
    can_grant_role,
    role_change_problem,
)
from newapi.cache.changes import Change
from newapi.errors import InvalidRequestError
from newapi.relay.sync import announce
from newapi.store import create_user
from newapi.store.queries.admin_users import (
    Account,
    account_by_id,
    add_account_quota,
    set_password,
    soft_delete_account,
    update_account,
)

__all__ = ["UserMutation"]

_FIELDS = ("username", "display_name", "group", "quota", "role", "status", "remark")
USERNAME_MAX = 20
PASSWORD_MIN, PASSWORD_MAX = 8, 20  # New API's rules


def _changes(data: UpdateUserInput) -> dict[str, Any]:
    changes = {}
    for name in _FIELDS:
        value = getattr(data, name)
        if value is not strawberry.UNSET and value is not None:
            changes[name] = value
    return changes


def _invalid(changes: dict[str, Any]) -> list[tuple[str, str]]:
    problems = []
    if "status" in changes and changes["status"] not in (STATUS_ENABLED, STATUS_DISABLED):
        problems.append(("status", "1 (enabled) or 2 (disabled)"))
    if "quota" in changes and changes["quota"] < 0:
        problems.append(("quota", "must be zero or more"))
    if "group" in changes and not 0 < len(changes["group"].strip()) <= 64:
        problems.append(("group", "1 to 64 characters"))
    if "display_name" in changes and len(changes["display_name"]) > 20:
        problems.append(("displayName", "at most 20 characters"))
    if "username" in changes:
        name = changes["username"]
        if not name or name != name.strip() or len(name) > USERNAME_MAX:
            problems.append(("username", f"1 to {USERNAME_MAX} characters, not padded"))
        elif name == "root":
            problems.append(("username", "'root' is reserved for the root user"))
    if "password" in changes and not PASSWORD_MIN <= len(changes["password"]) <= PASSWORD_MAX:
        problems.append(("password", f"{PASSWORD_MIN} to {PASSWORD_MAX} characters"))
    return problems


async def _target(actor: Account, user_id: int) -> Account:
    target = await account_by_id(user_id)
    if target is None or target.id == actor.id:
        # Users change themselves through the account mutations, never through these.
        raise Denied(f"user {user_id} does not exist or is not yours to manage", "not_found")
    if not can_act_on(actor.role, target.role):
        raise Denied("you can only manage users of a lower role", "forbidden")
    return target


@strawberry.type
class UserMutation:
    @strawberry.mutation(permission_classes=[IsAdmin])
    async def create_user(self, info: Info[Any, Any], input: CreateUserInput) -> CreateUserResult:
        actor = info.context.user
        if input.role != ROLE_COMMON and not can_grant_role(actor.role, input.role):
            return field_errors(("role", "you can only grant a role below your own"))
        try:
            created = await create_user(
                input.username,
                input.password,
                role=input.role,
                group=input.group,
                quota=int(input.quota),
            )
        except InvalidRequestError as exc:
            return from_invalid(exc, "username")
        if input.display_name:
            created_account = await update_account(created.id, display_name=input.display_name)
            return User.of(created_account)
        found = await account_by_id(created.id)
        assert found is not None
        return User.of(found)

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def update_user(self, info: Info[Any, Any], input: UpdateUserInput) -> UpdateUserResult:
        actor = info.context.user
        target = await _target(actor, input.id)
        changes = _changes(input)
        problem = role_change_problem(
            actor.role,
            target.role,
            role=changes.get("role"),
            status=changes.get("status"),
            delete=False,
        )
        if problem is not None:
            return field_errors(("status" if "disabled" in problem else "role", problem))
        if input.password not in (strawberry.UNSET, None):
            changes["password"] = input.password
        invalid = _invalid(changes)
        if invalid:
            return field_errors(*invalid)
        password = changes.pop("password", None)
        try:
            updated = await update_account(target.id, **changes)
        except InvalidRequestError as exc:
            return from_invalid(exc, "username")
        if password is not None:  # signs the user out everywhere
            await set_password(target.id, None, password)
        # cached key owners carry the user's fields
        await announce(info.context.relay, Change.keys(users=[target.id]))
        return User.of(updated)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Add to a user's quota (a negative amount subtracts; never below zero).",
    )
    async def add_user_quota(
        self, info: Info[Any, Any], id: int, amount: BigInt
    ) -> UpdateUserResult:
        target = await _target(info.context.user, id)
        updated = await add_account_quota(target.id, int(amount))
        if updated is None:
            return field_errors(("amount", f"the quota is {target.quota}; it cannot go below 0"))
        await announce(info.context.relay, Change.keys(users=[target.id]))
        return User.of(updated)

    @strawberry.mutation(permission_classes=[IsAdmin], description="Soft delete (deleted_at).")
    async def delete_user(self, info: Info[Any, Any], id: int) -> Deleted:
        actor = info.context.user
        target = await _target(actor, id)
        problem = role_change_problem(actor.role, target.role, role=None, status=None, delete=True)
        if problem is not None:
            raise Denied(problem, "forbidden")
        await soft_delete_account(target.id)
        await announce(info.context.relay, Change.keys(users=[target.id]))
        return Deleted(id=target.id, deleted=True)
