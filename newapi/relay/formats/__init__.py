"""Wire formats: one module per protocol, registered in ``FORMATS`` by its format name."""

from newapi.relay.formats import openai_chat
from newapi.relay.formats.base import Adapter, mask_secrets

FORMATS: dict[str, Adapter] = {
    "openai_chat": openai_chat.ADAPTER,
}

__all__ = ["FORMATS", "Adapter", "mask_secrets", "openai_chat"]
