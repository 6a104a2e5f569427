"""Speaker identity across articles: one canonical name per person or organisation in the corpus.

Within an article, attribution already resolves "he" and "Lister" to "Charles Lister". Across articles the
same person appears as "Assad", "al-Assad" and "Bashar al-Assad": variants are grouped by a folded key
(case, accents, "al-" particles, honorifics) and by a unique surname match to a longer name, and the
longest, most frequent spelling wins. The registry keeps the roles seen and the outlets that quoted them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.lexicon import fold_name as fold
from assistant.models import Article


@dataclass
class Speaker:
    name: str
    variants: Counter = field(default_factory=Counter)
    roles: Counter = field(default_factory=Counter)
    outlets: Counter = field(default_factory=Counter)
    quotes: int = 0


class SpeakerRegistry:
    """Maps every spelling of a speaker to its canonical name; names can be added one at a time."""

    def __init__(self) -> None:
        self._by_key: dict[str, Speaker] = {}
        self._by_surname: dict[str, dict[int, Speaker]] = defaultdict(dict)

    @classmethod
    def from_articles(cls, articles: Iterable[Article]) -> SpeakerRegistry:
        registry = cls()
        mentions = [(q.speaker, q.speaker_role, a.outlet) for a in articles for q in a.quotes if q.speaker]
        registry.add(m[0] for m in mentions)
        for name, role, outlet in mentions:
            speaker = registry._by_key[fold(name)]
            speaker.quotes += 1
            if role:
                speaker.roles[role] += 1
            if outlet:
                speaker.outlets[outlet] += 1
        return registry

    def add(self, names: Iterable[str]) -> None:
        """Register names, full names first so that a lone surname can join them."""
        for name in sorted(names, key=lambda n: -len(n.split())):
            self._group(name).variants[name] += 1
        for speaker in {id(s): s for s in self._by_key.values()}.values():
            speaker.name = max(speaker.variants, key=lambda v: (len(v.split()), speaker.variants[v], v))

    def _group(self, name: str) -> Speaker:
        key = fold(name)
        if key in self._by_key:
            return self._by_key[key]
        tokens = key.split() or [key]
        candidates = self._by_surname.get(tokens[0], {}) if len(tokens) == 1 else {}
        speaker = next(iter(candidates.values())) if len(candidates) == 1 else Speaker(name=name)
        self._by_key[key] = speaker
        if len(tokens) > 1:
            self._by_surname[tokens[-1]][id(speaker)] = speaker
        return speaker

    def canonical(self, name: str) -> str:
        speaker = self._by_key.get(fold(name))
        return speaker.name if speaker else name

    def speakers(self) -> list[Speaker]:
        unique = {id(s): s for s in self._by_key.values()}.values()
        return sorted(unique, key=lambda s: (-s.quotes, s.name))


def group_names(names: Iterable[str]) -> dict[str, str]:
    """Variant → canonical for a plain list of names."""
    names = list(names)
    registry = SpeakerRegistry()
    registry.add(names)
    return {name: registry.canonical(name) for name in names}
