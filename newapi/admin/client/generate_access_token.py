from pydantic import Field

from .base_model import BaseModel


class GenerateAccessToken(BaseModel):
    generate_access_token: "GenerateAccessTokenGenerateAccessToken" = Field(
        alias="generateAccessToken"
    )


class GenerateAccessTokenGenerateAccessToken(BaseModel):
    token: str


GenerateAccessToken.model_rebuild()
