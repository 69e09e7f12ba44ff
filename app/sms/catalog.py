"""The SMS templates (sms_templates.yaml): what each message says, its
parameters and their limits, and each provider's template code.

A message is a template key plus parameters. Mainland providers send only
templates they approved, filling the parameters themselves (Alibaba Cloud by
name, Tencent Cloud by position); Twilio and the console get the text rendered
here. Rendering and shortening happen once, when the message is queued, so every
provider sends the same words the outbox shows.
"""

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

log = logging.getLogger(__name__)

DEFAULT_FILE = Path(__file__).with_name("sms_templates.yaml")

# Characters a message may hold with the signature: one segment for a code, two
# for a notice (a long SMS is split into 67-character segments, billed each).
BUDGETS = {"code": 70, "notice": 134}
# Providers' limits on one parameter's value. Alibaba Cloud: a code is 4–6 digits,
# any other variable at most 35 characters; Tencent Cloud (enterprise accounts): a
# code at most 6 digits, other variables unlimited. Both refuse links in variables.
PROVIDER_LIMITS = {"aliyun": {"code": 6, "text": 35}, "tencent": {"code": 6, "text": None}}
CHINESE_PROVIDERS = tuple(PROVIDER_LIMITS)

PLACEHOLDER = re.compile(r"\$\{([A-Za-z][A-Za-z0-9_]*)\}")
RULE_ID = re.compile(r"(?<![A-Za-z0-9])R\d+(?![0-9])")
# A link in a parameter (http://…, www.…, a bare domain): refused by the providers.
LINK = re.compile(r"(?i)(?:https?://|www\.)\S*|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:cn|com|net|org|gov|top|xyz|io)\b\S*")
CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
ELLIPSIS = "…"

# Every template key the code can send, with the parameters it passes; filled by
# declare() when the sending modules are imported, checked by `flask sms templates`.
DECLARED = {}


class TemplateFileError(Exception):
    """The template file cannot be used; the message lists every problem."""


def declare(key, *params):
    """Record that the code sends `key` with these parameters; returns the key."""
    DECLARED[key] = tuple(params)
    return key


@dataclass(frozen=True)
class Param:
    name: str
    max: int
    digits: bool = False


@dataclass(frozen=True)
class Template:
    key: str
    kind: str
    text: str
    params: tuple  # Param, in the order they appear in the text (Tencent's positions)
    codes: dict = field(default_factory=dict)

    @property
    def param_names(self):
        return tuple(p.name for p in self.params)

    @property
    def budget(self):
        return BUDGETS[self.kind]

    def render(self, values):
        return PLACEHOLDER.sub(lambda m: values[m.group(1)], self.text)

    def longest(self, signature):
        """The longest message this template can make: every parameter at its limit."""
        return len(signature) + len(self.render({p.name: "字" * p.max for p in self.params}))

    def positional_text(self):
        """The text as Tencent Cloud approves it: {1}, {2}, … in order."""
        names = self.param_names
        return PLACEHOLDER.sub(lambda m: f"{{{names.index(m.group(1)) + 1}}}", self.text)

    def code_for(self, provider):
        return (self.codes.get(provider) or "").strip() or None

    def fill(self, values):
        """The parameter values as they will be sent: text, one line, no links, no
        【】, shortened to each parameter's limit (logged). Raises ValueError when
        the caller passes other names than the template has (a programming error)."""
        if set(values) != set(self.param_names):
            raise ValueError(f"SMS template {self.key} takes {sorted(self.param_names)}, got {sorted(values)}")
        return {p.name: self._clean(p, values[p.name]) for p in self.params}

    def _clean(self, param, value):
        text = CONTROL.sub(" ", str(value if value is not None else "")).strip()
        if param.digits:
            if not text.isdigit():
                raise ValueError(f"SMS template {self.key}: {param.name} must be digits, got {text!r}")
            return text
        without_links = LINK.sub("", text).strip()
        if without_links != text:
            log.warning("SMS %s: a link was removed from parameter %s (providers refuse links in variables)",
                        self.key, param.name)
            text = without_links
        text = text.replace("【", "〔").replace("】", "〕")  # the brackets belong to the signature
        if len(text) > param.max:
            log.warning("SMS %s: parameter %s shortened from %d to %d characters", self.key, param.name,
                        len(text), param.max)
            text = text[:param.max - 1] + ELLIPSIS
        return text or "—"


@dataclass(frozen=True)
class Catalog:
    path: str
    templates: dict

    def get(self, key):
        if key not in self.templates:
            raise KeyError(f"No SMS template {key!r} in {self.path}")
        return self.templates[key]

    def missing_codes(self, providers):
        """(provider, key) pairs without a template code, for the providers named."""
        return [(provider, key) for provider in providers if provider in CHINESE_PROVIDERS
                for key, template in self.templates.items() if not template.code_for(provider)]


def load(path, signature):
    """Read and check a template file; raises TemplateFileError naming each problem."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateFileError(f"{path}: cannot be read: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("templates"), dict):
        raise TemplateFileError(f"{path}: expected a mapping with a `templates` mapping")
    problems, templates = [], {}
    for key, entry in raw["templates"].items():
        template, found = _template(key, entry, signature)
        problems += [f"{key}: {p}" for p in found]
        if template:
            templates[key] = template
    if problems:
        raise TemplateFileError(f"{path}:\n  " + "\n  ".join(problems))
    return Catalog(str(path), templates)


def _template(key, entry, signature):
    if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
        return None, ["needs a `text`"]
    problems = []
    text, kind = entry["text"].strip(), entry.get("kind")
    if kind not in BUDGETS:
        problems.append(f"kind must be one of {sorted(BUDGETS)}")
    if "【" in text or "】" in text:
        problems.append("no 【】 in a text: the brackets belong to the signature")
    if RULE_ID.search(text):
        problems.append("a rule id in the text: say what happened, the reasons are on the site")
    order = PLACEHOLDER.findall(text)
    if len(order) != len(set(order)):
        problems.append("each placeholder may appear only once")
    if re.search(r"\}\$\{", text):
        problems.append("two placeholders touch: providers refuse consecutive variables")
    declared = entry.get("params") or {}
    if set(declared) != set(order):
        problems.append(f"params {sorted(declared)} do not match the placeholders {sorted(set(order))}")
    params = []
    for name in dict.fromkeys(order):
        spec = declared.get(name) or {}
        limit = spec.get("max")
        if not isinstance(limit, int) or limit < 1:
            problems.append(f"parameter {name} needs a positive `max`")
            continue
        param = Param(name, limit, bool(spec.get("digits")))
        for provider, limits in PROVIDER_LIMITS.items():
            cap = limits["code" if param.digits else "text"]
            if cap is not None and limit > cap:
                problems.append(f"parameter {name}: max {limit} is above {provider}'s limit of {cap}")
        params.append(param)
    codes = entry.get("codes") or {}
    if not isinstance(codes, dict) or set(codes) - set(CHINESE_PROVIDERS):
        problems.append(f"codes may name only {list(CHINESE_PROVIDERS)}")
        codes = {}
    template = Template(key, kind if kind in BUDGETS else "notice", text, tuple(params),
                        {k: str(v or "") for k, v in codes.items()})
    if not problems and template.longest(signature) > template.budget:
        problems.append(f"with every parameter at its longest the message has {template.longest(signature)} "
                        f"characters, over the {template.budget} of a {kind} message")
    return (None if problems else template), problems


def check_declared(catalog, declared=None):
    """Problems between the code and the file: a key the code sends without a
    template, or with other parameters than the template has."""
    declared = DECLARED if declared is None else declared
    problems = []
    for key, params in sorted(declared.items()):
        if key not in catalog.templates:
            problems.append(f"{key}: the code sends it but {catalog.path} has no such template")
        elif set(params) != set(catalog.templates[key].param_names):
            problems.append(f"{key}: the code passes {sorted(params)}, the template has "
                            f"{sorted(catalog.templates[key].param_names)}")
    return problems
