from pydantic import Field

from .base_model import BaseModel


class RevealTokenKey(BaseModel):
    reveal_token_key: "RevealTokenKeyRevealTokenKey" = Field(alias="revealTokenKey")


class RevealTokenKeyRevealTokenKey(BaseModel):
    id: int
    key: str


RevealTokenKey.model_rebuild()
