from pydantic import Field

from .base_model import BaseModel


class DeleteToken(BaseModel):
    delete_token: "DeleteTokenDeleteToken" = Field(alias="deleteToken")


class DeleteTokenDeleteToken(BaseModel):
    id: int
    deleted: bool


DeleteToken.model_rebuild()
