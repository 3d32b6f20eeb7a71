from decimal import Decimal

from .base_model import BaseModel


class Groups(BaseModel):
    groups: list["GroupsGroups"]


class GroupsGroups(BaseModel):
    name: str
    ratio: Decimal
    description: str
    usable: bool


Groups.model_rebuild()
