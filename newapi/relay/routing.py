"""Channel choice: abilities by (group, model), priority tiers, weights and failover order.

The table is rebuilt whenever channels change and swapped in whole. A request walks
``attempts``: the highest priority tier first, weighted random inside a tier, each channel at
most once, moving down the tiers as channels fail, up to the retry budget.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newapi.relay.channels import Channel

__all__ = ["RoutingTable", "Tier", "attempts", "normalized_model"]


@dataclass(frozen=True, slots=True)
class Tier:
    priority: int
    channels: tuple[Channel, ...]
    weights: tuple[int, ...]  # smoothed as New API does (see _smooth)


def _smooth(weights: list[int]) -> tuple[int, ...]:
    """All-zero weights count as equal; small weights are scaled so ratios survive rounding."""
    if not any(weights):
        return tuple(100 for _ in weights)
    if sum(weights) / len(weights) < 10:
        return tuple(w * 100 for w in weights)
    return tuple(weights)


def normalized_model(model: str) -> str | None:
    """The wildcard name a model also routes under (GPTs: ``gpt-4-gizmo-*``)."""
    for prefix in ("gpt-4-gizmo-", "gpt-4o-gizmo-"):
        if model.startswith(prefix):
            return prefix + "*"
    return None


class RoutingTable:
    """``group -> model -> tiers`` of the enabled channels."""

    __slots__ = ("_index", "by_id")

    def __init__(self, channels: Iterable[Channel]) -> None:
        grouped: dict[str, dict[str, dict[int, list[Channel]]]] = {}
        self.by_id: dict[int, Channel] = {}
        for channel in channels:
            self.by_id[channel.id] = channel
            if not channel.enabled:
                continue
            for group in channel.groups:
                models = grouped.setdefault(group, {})
                for model in channel.models:
                    models.setdefault(model, {}).setdefault(channel.priority, []).append(channel)
        self._index: dict[str, dict[str, tuple[Tier, ...]]] = {
            group: {
                model: tuple(
                    Tier(priority, tuple(chans), _smooth([c.weight for c in chans]))
                    for priority, chans in sorted(tiers.items(), reverse=True)
                )
                for model, tiers in models.items()
            }
            for group, models in grouped.items()
        }

    def tiers(self, group: str, model: str) -> tuple[Tier, ...]:
        """Tiers serving ``model`` in ``group``, best first; empty when none."""
        models = self._index.get(group)
        if not models:
            return ()
        found = models.get(model)
        if found is None:
            wildcard = normalized_model(model)
            found = models.get(wildcard, ()) if wildcard else ()
        return found

    def models(self, groups: Iterable[str]) -> list[str]:
        """Every model name routable in any of ``groups``, sorted."""
        names: set[str] = set()
        for group in groups:
            names.update(self._index.get(group, {}))
        return sorted(names)

    def groups_for(self, model: str) -> list[str]:
        return sorted(g for g, models in self._index.items() if model in models)


def _pick(tier: Tier, tried: set[int], rng: random.Random) -> Channel | None:
    pool = [(c, w) for c, w in zip(tier.channels, tier.weights, strict=True) if c.id not in tried]
    if not pool:
        return None
    total = sum(w for _, w in pool)
    if total <= 0:  # only weight-0 channels are left: the last resort, equally likely
        return rng.choice(pool)[0]
    point = rng.uniform(0, total)
    for channel, weight in pool:
        point -= weight
        if point <= 0:
            return channel
    return pool[-1][0]


def attempts(tiers: tuple[Tier, ...], max_attempts: int, rng: random.Random) -> Iterator[Channel]:
    """Channels to try in order: never the same one twice, best tier first."""
    tried: set[int] = set()
    given = 0
    for tier in tiers:
        while given < max_attempts:
            channel = _pick(tier, tried, rng)
            if channel is None:
                break
            tried.add(channel.id)
            given += 1
            yield channel
        if given >= max_attempts:
            return
