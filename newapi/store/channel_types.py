"""Channel type numbers: the provider a ``channels.type`` means in One API or New API numbering.

The numbers agree for 0-23 except 2, 4 and 5 (One API: API2D, CloseAI, OpenAI-SB resellers; New
API: Midjourney, Ollama, MidjourneyPlus) and diverge above 23. A database's numbering is recorded
in ``newapi_meta.channel_type_numbering`` by the first migration; rows are never renumbered.

The type -> provider mapping is data from the provider catalog
(``newapi/config/builtin/providers.toml``: ``one_api_types`` / ``new_api_types``), or from the
loaded configuration's providers when the caller passes them. The names below are for messages
and the admin UI only.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Protocol

from newapi.errors import InvalidRequestError

__all__ = [
    "NUMBERINGS",
    "channel_type_name",
    "channel_types_of",
    "provider_for_channel_type",
]

NUMBERINGS = ("one-api", "new-api")

ONE_API_NAMES: Mapping[int, str] = {
    0: "Unknown", 1: "OpenAI", 2: "API2D", 3: "Azure", 4: "CloseAI", 5: "OpenAI-SB",
    6: "OpenAIMax", 7: "OhMyGPT", 8: "Custom", 9: "AILS", 10: "AIProxy", 11: "PaLM",
    12: "API2GPT", 13: "AIGC2D", 14: "Anthropic", 15: "Baidu", 16: "Zhipu", 17: "Ali",
    18: "Xunfei", 19: "360", 20: "OpenRouter", 21: "AIProxyLibrary", 22: "FastGPT",
    23: "Tencent", 24: "Gemini", 25: "Moonshot", 26: "Baichuan", 27: "MiniMax", 28: "Mistral",
    29: "Groq", 30: "Ollama", 31: "LingYiWanWu", 32: "StepFun", 33: "AWS Claude", 34: "Coze",
    35: "Cohere", 36: "DeepSeek", 37: "Cloudflare", 38: "DeepL", 39: "TogetherAI", 40: "Doubao",
    41: "Novita", 42: "VertexAI", 43: "Proxy", 44: "SiliconFlow", 45: "xAI", 46: "Replicate",
    47: "BaiduV2", 48: "XunfeiV2", 49: "AliBailian", 50: "OpenAICompatible",
    51: "GeminiOpenAICompatible",
}  # fmt: skip

NEW_API_NAMES: Mapping[int, str] = {
    0: "Unknown", 1: "OpenAI", 2: "Midjourney", 3: "Azure", 4: "Ollama", 5: "MidjourneyPlus",
    6: "OpenAIMax", 7: "OhMyGPT", 8: "Custom", 9: "AILS", 10: "AIProxy", 11: "PaLM",
    12: "API2GPT", 13: "AIGC2D", 14: "Anthropic", 15: "Baidu", 16: "Zhipu", 17: "Ali",
    18: "Xunfei", 19: "360", 20: "OpenRouter", 21: "AIProxyLibrary", 22: "FastGPT",
    23: "Tencent", 24: "Gemini", 25: "Moonshot", 26: "ZhipuV4", 27: "Perplexity",
    31: "LingYiWanWu", 33: "AWS", 34: "Cohere", 35: "MiniMax", 36: "SunoAPI", 37: "Dify",
    38: "Jina", 39: "Cloudflare", 40: "SiliconFlow", 41: "VertexAI", 42: "Mistral",
    43: "DeepSeek", 44: "MokaAI", 45: "VolcEngine", 46: "BaiduV2", 47: "Xinference", 48: "xAI",
    49: "Coze", 50: "Kling", 51: "Jimeng", 52: "Vidu", 53: "Submodel", 54: "DoubaoVideo",
    55: "Sora", 56: "Replicate", 57: "Codex", 58: "AdvancedCustom", 59: "Sub2API",
    60: "NewAPI",
}  # fmt: skip

_NAMES = {"one-api": ONE_API_NAMES, "new-api": NEW_API_NAMES}
_FIELDS = {"one-api": "one_api_types", "new-api": "new_api_types"}


class ProviderTypes(Protocol):
    """What this module reads from a provider entry (``newapi.config.ProviderConfig`` fits)."""

    name: str
    one_api_types: tuple[int, ...]
    new_api_types: tuple[int, ...]


def _check_numbering(numbering: str) -> None:
    if numbering not in _NAMES:
        raise InvalidRequestError(
            f"unknown channel type numbering {numbering!r} (expected one-api or new-api)",
            param="numbering",
        )


@functools.cache
def _builtin_types() -> Mapping[str, Mapping[int, str]]:
    """type id -> provider name per numbering, from the built-in provider catalog."""
    text = (
        resources.files("newapi.config")
        .joinpath("builtin", "providers.toml")
        .read_text(encoding="utf-8")
    )
    providers = tomllib.loads(text).get("providers", {})
    result: dict[str, dict[int, str]] = {numbering: {} for numbering in NUMBERINGS}
    for name, entry in providers.items():
        for numbering, key in _FIELDS.items():
            for type_id in entry.get(key, ()):
                result[numbering].setdefault(int(type_id), name)
    return result


def channel_types_of(
    numbering: str, providers: Iterable[ProviderTypes] | None = None
) -> Mapping[int, str]:
    """Every known type id of ``numbering`` -> provider name.

    Args:
        numbering: ``one-api`` or ``new-api``.
        providers: the loaded configuration's providers (built-in catalog plus gateway.toml);
            None reads the built-in catalog.
    """
    _check_numbering(numbering)
    if providers is None:
        return _builtin_types()[numbering]
    result: dict[int, str] = {}
    for provider in providers:
        for type_id in getattr(provider, _FIELDS[numbering]):
            result.setdefault(int(type_id), provider.name)
    return result


def channel_type_name(type_id: int, numbering: str) -> str:
    """The vendor name of a type id (``"type 99"`` when the numbering does not define it)."""
    _check_numbering(numbering)
    return _NAMES[numbering].get(type_id, f"type {type_id}")


def provider_for_channel_type(
    type_id: int, numbering: str, providers: Iterable[ProviderTypes] | None = None
) -> str:
    """The provider name for a channel's ``type`` in ``numbering``.

    Raises:
        InvalidRequestError: the type has no provider in the catalog (for example One API's
            15 Baidu), or the numbering is unknown.
    """
    mapping = channel_types_of(numbering, providers)
    try:
        return mapping[type_id]
    except KeyError:
        name = channel_type_name(type_id, numbering)
        raise InvalidRequestError(
            f"channel type {type_id} ({name}, {numbering} numbering) has no provider in the "
            "catalog; add its id to a provider's "
            f"{_FIELDS[numbering]} in gateway.toml",
            param="type",
        ) from None
