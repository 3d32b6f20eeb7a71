"""Channel type numbers to providers, in One API's and New API's numbering (from the catalog)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from newapi.errors import InvalidRequestError
from newapi.store import channel_type_name, channel_types_of, provider_for_channel_type
from newapi.store.channel_types import NEW_API_NAMES, ONE_API_NAMES


@pytest.mark.parametrize(
    ("type_id", "one_api", "new_api"),
    [
        (0, "openai_compatible", "openai_compatible"),
        (1, "openai", "openai"),
        (2, "openai_compatible", "midjourney"),  # API2D vs Midjourney-Proxy
        (3, "azure", "azure"),
        (4, "openai_compatible", "ollama"),  # CloseAI vs Ollama
        (5, "openai_compatible", "midjourney"),  # OpenAI-SB vs Midjourney-Proxy-Plus
        (8, "custom", "custom"),
        (14, "anthropic", "anthropic"),
        (20, "openrouter", "openrouter"),
        (24, "gemini", "gemini"),
        (25, "moonshot", "moonshot"),
    ],
)
def test_shared_and_diverging_ids(type_id: int, one_api: str, new_api: str) -> None:
    assert provider_for_channel_type(type_id, "one-api") == one_api
    assert provider_for_channel_type(type_id, "new-api") == new_api


@pytest.mark.parametrize(
    ("provider", "one_api", "new_api"),
    [
        ("ollama", 30, 4),
        ("deepseek", 36, 43),
        ("mistral", 28, 42),
        ("cohere", 35, 34),
        ("siliconflow", 44, 40),
        ("xai", 45, 48),
    ],
)
def test_later_ids(provider: str, one_api: int, new_api: int) -> None:
    assert provider_for_channel_type(one_api, "one-api") == provider
    assert provider_for_channel_type(new_api, "new-api") == provider


def test_new_api_only_providers() -> None:
    assert provider_for_channel_type(36, "new-api") == "suno"
    assert provider_for_channel_type(37, "new-api") == "dify"
    assert provider_for_channel_type(38, "new-api") == "jina"


def test_unmapped_and_unknown() -> None:
    with pytest.raises(InvalidRequestError) as info:
        provider_for_channel_type(15, "one-api")
    assert "Baidu" in info.value.message
    with pytest.raises(InvalidRequestError):
        provider_for_channel_type(9999, "new-api")
    with pytest.raises(InvalidRequestError):
        provider_for_channel_type(1, "openai")
    assert channel_type_name(9999, "one-api") == "type 9999"


def test_every_mapped_id_has_a_name() -> None:
    for numbering, names in (("one-api", ONE_API_NAMES), ("new-api", NEW_API_NAMES)):
        assert set(channel_types_of(numbering)) <= set(names), numbering
    assert max(ONE_API_NAMES) == 51


@dataclass(frozen=True)
class _Provider:
    name: str
    one_api_types: tuple[int, ...] = ()
    new_api_types: tuple[int, ...] = ()


def test_configured_providers_replace_the_catalog() -> None:
    providers = [_Provider("baidu_compat", one_api_types=(15,)), _Provider("openai", (1,), (1,))]
    assert provider_for_channel_type(15, "one-api", providers) == "baidu_compat"
    with pytest.raises(InvalidRequestError):
        provider_for_channel_type(14, "one-api", providers)
