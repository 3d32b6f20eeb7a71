from enum import Enum


class VerificationPurpose(str, Enum):
    REGISTER = "REGISTER"
    RESET = "RESET"
