"""The service guide of one compiled spec: who decides what, the steps, the
materials with their conditions in words, the thresholds, time limits, fees,
offices and questions. Built once per spec version (specs are immutable) and
read by the page in the visitor's language."""

from dataclasses import dataclass, field
from functools import lru_cache

from app.names import FILING_TYPES


def localized(entry, key, lang):
    """entry[key] in the visitor's language, falling back to Chinese."""
    if lang.startswith("en") and entry.get(f"{key}_en"):
        return entry[f"{key}_en"]
    return entry.get(key) or ""


@dataclass
class AuthorityRow:
    name: str
    filing_type: str  # a FILING_TYPES msgid
    text: dict  # {"zh": …, "en": …}


@dataclass
class Guide:
    raw: dict  # the spec's `guide:` section
    authority: list
    levels: list
    energy_levels: list
    materials: list
    samples: list = field(default_factory=list)  # [(document id, title)] with a sample form

    def text(self, key, lang):
        return localized(self.raw, key, lang)

    def items(self, key, lang):
        """A list of the section (thresholds, legal bases) in the visitor's language."""
        return (lang.startswith("en") and self.raw.get(f"{key}_en")) or self.raw.get(key) or []


@lru_cache(maxsize=8)
def guide_of(spec):
    raw = spec.raw.get("guide") or {}
    readable = raw.get("authority") or {}
    readable_en = raw.get("authority_en") or {}
    authority = [AuthorityRow(rule.name, FILING_TYPES.get(rule.filing_type, rule.filing_type),
                              {"zh": readable.get(rule.id, ""), "en": readable_en.get(rule.id, "")})
                 for rule in spec.authority_rules]
    return Guide(raw=raw, authority=authority, levels=list(spec.levels.values()),
                 energy_levels=list(spec.energy_levels.values()), materials=list(spec.materials))


def condition_in_words(material, lang):
    """When a material is needed, as the spec says it to applicants (its reason),
    without the expression; a reason that reads answers shows its fixed words."""
    reason = material.reason_en if lang.startswith("en") and material.reason_en else material.reason
    source = getattr(reason, "source", reason) or ""
    return source if "{" not in source else source.split("{", 1)[0].rstrip("，,")
