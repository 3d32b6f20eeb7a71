"""The tortoise models of every table newapi reads or writes, one module per aggregate.

Only ``newapi.store`` uses these classes; other packages go through ``newapi.store.queries``.
"""

from __future__ import annotations

from newapi.store.models.channels import Ability, Channel
from newapi.store.models.journal import JournalState
from newapi.store.models.logs import Log, QuotaData
from newapi.store.models.options import Option
from newapi.store.models.redemptions import Redemption
from newapi.store.models.system import NewapiMeta, Setup
from newapi.store.models.tasks import Midjourney, Task
from newapi.store.models.tokens import Token
from newapi.store.models.top_ups import TopUp
from newapi.store.models.users import TwoFA, TwoFABackupCode, User

__all__ = [
    "Ability",
    "Channel",
    "JournalState",
    "Log",
    "Midjourney",
    "NewapiMeta",
    "Option",
    "QuotaData",
    "Redemption",
    "Setup",
    "Task",
    "Token",
    "TopUp",
    "TwoFA",
    "TwoFABackupCode",
    "User",
]
