"""Channels as the relay sees them: immutable routing data plus mutable per-key health.

A ``Channel`` is built from a ``channels`` row (whose provider comes from its type number) or
from a ``[channels.<name>]`` table of gateway.toml (synced to a row, so it has an id). Key
health lives apart in ``KeyRing`` so that a channel object can be shared freely.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from newapi.config.model import ChannelSettings, ProviderConfig
from newapi.errors import UnavailableError

__all__ = ["Channel", "KeyRing", "upstream_model"]

STATUS_ENABLED = 1
STATUS_MANUALLY_DISABLED = 2
STATUS_AUTO_DISABLED = 3


@dataclass(frozen=True, slots=True)
class Channel:
    id: int
    name: str
    provider: ProviderConfig
    base_url: str
    keys: tuple[str, ...]
    models: tuple[str, ...]
    groups: tuple[str, ...]
    priority: int = 0
    weight: int = 1
    model_mapping: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    settings: ChannelSettings = field(default_factory=ChannelSettings)
    key_mode: str = "random"
    api_version: str | None = None
    organization: str | None = None
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    auto_ban: bool = True
    enabled: bool = True
    source: str = "db"  # db | config
    test_model: str | None = None
    tag: str | None = None
    # the channel as seen by each other format it speaks natively (relay/catalog.py builds them)
    native: Mapping[str, Channel] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def format(self) -> str:
        return self.provider.format

    @property
    def formats(self) -> tuple[str, ...]:
        """Every format the channel speaks natively, its provider's first."""
        return (self.provider.format, *self.native)

    def speaking(self, fmt: str) -> Channel:
        """The channel as it serves ``fmt``: its native endpoint for that format, or itself
        (requests in other formats are converted to the primary format)."""
        return self.native.get(fmt, self)


class KeyRing:
    """Which keys of a multi-key channel are usable, and whose turn it is."""

    __slots__ = ("_disabled", "_next", "keys", "mode")

    def __init__(self, keys: tuple[str, ...], mode: str = "random") -> None:
        self.keys = keys
        self.mode = mode
        self._disabled: dict[int, str] = {}
        self._next = 0

    def pick(self, rng: random.Random) -> tuple[int, str]:
        """An enabled key (index, key); ``UnavailableError`` when none is left."""
        if len(self.keys) == 1 and not self._disabled:
            return 0, self.keys[0]
        usable = [i for i in range(len(self.keys)) if i not in self._disabled]
        if not usable:
            raise UnavailableError(
                "the channel has no enabled key left", code="channel_no_available_key"
            )
        if self.mode == "round_robin":
            for step in range(len(self.keys)):
                index = (self._next + step) % len(self.keys)
                if index not in self._disabled:
                    self._next = index + 1
                    return index, self.keys[index]
        index = rng.choice(usable)
        return index, self.keys[index]

    def disable(self, index: int, reason: str) -> bool:
        """Take a key out of rotation; True when no key is left."""
        self._disabled[index] = reason
        return len(self._disabled) >= len(self.keys)

    def enable_all(self) -> None:
        self._disabled.clear()

    @property
    def disabled(self) -> Mapping[int, str]:
        return MappingProxyType(self._disabled)


def upstream_model(mapping: Mapping[str, str], model: str) -> str:
    """Follow the channel's model mapping (A->B->C gives C); a cycle is a channel error."""
    seen = {model}
    current = model
    while True:
        target = mapping.get(current)
        if not target or target == current:
            return current
        if target in seen:
            raise UnavailableError(
                f"the channel's model mapping loops at {target!r}",
                code="channel_model_mapping_error",
            )
        seen.add(target)
        current = target
