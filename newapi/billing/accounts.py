"""Live balances of users and tokens: what the database holds, minus what is spent or held.

``available = base - unflushed - reserved`` where ``base`` is the database value when it was last
read, ``unflushed`` the charges journaled but not yet written to the database, and ``reserved``
what in-flight requests hold. One process owns the accounts it serves; the ledger is the only
writer. Everything here runs on the event loop thread, so no locks are needed.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Account", "Accounts"]


@dataclass(slots=True)
class Account:
    """One user's quota or one token's remaining quota."""

    base: int
    unlimited: bool = False
    unflushed: int = 0
    reserved: int = 0

    @property
    def available(self) -> int:
        return self.base - self.unflushed - self.reserved

    @property
    def busy(self) -> bool:
        """Holds state that the database does not have yet."""
        return self.unflushed != 0 or self.reserved != 0


class Accounts:
    """Accounts by kind and id, created from database rows on first use."""

    __slots__ = ("tokens", "users")

    def __init__(self) -> None:
        self.users: dict[int, Account] = {}
        self.tokens: dict[int, Account] = {}

    def user(self, user_id: int, quota_in_db: int) -> Account:
        """The user's account; ``quota_in_db`` seeds it the first time only."""
        account = self.users.get(user_id)
        if account is None:
            account = self.users[user_id] = Account(base=quota_in_db)
        return account

    def token(self, token_id: int, remain_in_db: int, unlimited: bool) -> Account:
        """The token's account; the database values seed it the first time only."""
        account = self.tokens.get(token_id)
        if account is None:
            account = self.tokens[token_id] = Account(base=remain_in_db, unlimited=unlimited)
        else:
            account.unlimited = unlimited
        return account

    def refresh_user(self, user_id: int, quota_in_db: int) -> None:
        """Adopt a fresh database value (admin top-up, another node's spending)."""
        account = self.users.get(user_id)
        if account is not None:
            account.base = quota_in_db

    def credit_user(self, user_id: int, amount: int) -> None:
        """Add a top-up the database already has (a redeemed code) to a live account."""
        account = self.users.get(user_id)
        if account is not None:
            account.base += amount

    def refresh_token(self, token_id: int, remain_in_db: int, unlimited: bool) -> None:
        account = self.tokens.get(token_id)
        if account is not None:
            account.base = remain_in_db
            account.unlimited = unlimited

    def forget_idle(self) -> None:
        """Drop accounts with nothing pending, so the next use reads the database again."""
        for table in (self.users, self.tokens):
            for key in [k for k, account in table.items() if not account.busy]:
                del table[key]
