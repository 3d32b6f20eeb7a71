from pydantic import Field

from .base_model import BaseModel


class DeleteUser(BaseModel):
    delete_user: "DeleteUserDeleteUser" = Field(alias="deleteUser")


class DeleteUserDeleteUser(BaseModel):
    id: int
    deleted: bool


DeleteUser.model_rebuild()
