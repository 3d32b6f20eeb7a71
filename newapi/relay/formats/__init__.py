"""Wire formats: one module per protocol, registered in ``FORMATS`` by its format name.

The hub codecs (``anthropic_messages``, ``gemini``, ``openai_responses``) satisfy the
``Adapter`` protocol, so errors and usage of every format are read through ``FORMATS``.
"""

# openai_chat first: the hub codecs reuse its errors and usage
from newapi.relay.formats import openai_chat  # isort: skip
from newapi.relay.formats import anthropic_messages, gemini, openai_responses, rerank
from newapi.relay.formats.base import Adapter, mask_secrets

FORMATS: dict[str, Adapter] = {
    "openai_chat": openai_chat.ADAPTER,
    "anthropic_messages": anthropic_messages.CODEC,
    "gemini": gemini.CODEC,
    "openai_responses": openai_responses.CODEC,
    "rerank": rerank.JINA_ADAPTER,
    "cohere_rerank": rerank.COHERE_ADAPTER,
}

__all__ = ["FORMATS", "Adapter", "mask_secrets", "openai_chat"]
