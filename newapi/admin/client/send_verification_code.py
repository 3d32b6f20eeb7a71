from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class SendVerificationCode(BaseModel):
    send_verification_code: Union[
        "SendVerificationCodeSendVerificationCodeVerificationCodeSent",
        "SendVerificationCodeSendVerificationCodeFieldErrors",
    ] = Field(alias="sendVerificationCode", discriminator="typename__")


class SendVerificationCodeSendVerificationCodeVerificationCodeSent(BaseModel):
    typename__: Literal["VerificationCodeSent"] = Field(alias="__typename")
    expires_in: int = Field(alias="expiresIn")


class SendVerificationCodeSendVerificationCodeFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["SendVerificationCodeSendVerificationCodeFieldErrorsErrors"]


class SendVerificationCodeSendVerificationCodeFieldErrorsErrors(BaseModel):
    field: str
    message: str


SendVerificationCode.model_rebuild()
SendVerificationCodeSendVerificationCodeFieldErrors.model_rebuild()
