"""Compiling the policy sections of a spec: cross-field rules, authority,
energy review, materials, documents and the case index. Split from loader.py,
which compiles the form."""

from app.lang.service import TextTemplate
from app.specs.model import (
    AuthorityRule,
    CaseIndex,
    ChangeRule,
    ChangeRules,
    DocumentSpec,
    EnergyRule,
    IssuedSpec,
    Level,
    Material,
    Rule,
)

# What each case_index entry must be, by field type (the queue filters by the
# town's options and the industry's sections; search reads the texts).
CASE_INDEX_TYPES = {
    "enterprise_name": {"text"},
    "project_name": {"text"},
    "credit_code": {"credit_code", "text"},
    "town": {"select", "radio"},
    "industry": {"industry"},
}

# Names the outcome adds for reasons, messages and material conditions.
OUTCOME_NAMES = {"filing_type", "level", "level_name", "energy_review", "escalated"}
TEXT_NAMES = {"labels"} | OUTCOME_NAMES
DOCUMENT_NAMES = OUTCOME_NAMES | {"submitted"}
# What a change rule reads (rules/amendment.py computes them from the old and the new answers).
CHANGE_NAMES = {"largest_move", "largest_measure", "name_changed", "site_changed", "content_changed",
                "changed_count", "changed_labels"}
CHANGE_GROUPS = ("name", "site", "content")
MEASURE_TYPES = {"decimal", "integer"}  # a document's `when`: `submitted` once the case was sent


class PolicyCompiler:
    """Mixed into the spec compiler: uses its `problem` and `expression` helpers."""

    def text(self, source, path, allowed, what):
        if source is None:
            return None
        return self.compiled(TextTemplate, source, path, allowed, what)

    def levels(self, raw, path):
        levels = {}
        for i, item in enumerate(raw or []):
            if item["id"] in levels:
                self.problem((*path, i, "id"), f"duplicate level '{item['id']}'")
            levels[item["id"]] = Level(id=item["id"], name=item["name"], name_en=item.get("name_en"),
                                       office=item.get("office"), office_en=item.get("office_en"), rank=i,
                                       phone=item.get("phone"), address=item.get("address"))
        return levels

    def cross_field_rules(self, allowed, step_ids):
        rules, seen = [], set()
        text_allowed = allowed | {"labels"}
        for i, raw in enumerate(self.data.get("rules") or []):
            path = ("rules", i)
            if raw["id"] in seen:
                self.problem((*path, "id"), f"duplicate rule id '{raw['id']}'")
            seen.add(raw["id"])
            if raw.get("field") and raw["field"] not in self.fields:
                self.problem((*path, "field"), f"unknown field '{raw['field']}'")
            if raw.get("step") and raw["step"] not in step_ids:
                self.problem((*path, "step"), f"unknown step '{raw['step']}'")
            when = self.expression(raw["when"], (*path, "when"), allowed, "when")
            message = self.text(raw["message"], (*path, "message"), text_allowed, "message")
            message_en = self.text(raw.get("message_en"), (*path, "message_en"), text_allowed, "message_en")
            if when and message:
                step = raw.get("step") or (self.fields[raw["field"]].step_id if raw.get("field") in self.fields
                                           else None)
                rules.append(Rule(id=raw["id"], when=when, message=message, message_en=message_en,
                                  severity=raw.get("severity", "error"), step=step, field=raw.get("field")))
        return rules

    def authority(self, allowed):
        raw = self.data.get("authority")
        if not raw:
            return {}, []
        levels = self.levels(raw["levels"], ("authority", "levels"))
        rules, seen = [], set()
        text_allowed = allowed | TEXT_NAMES
        for i, item in enumerate(raw["rules"]):
            path = ("authority", "rules", i)
            if item["id"] in seen:
                self.problem((*path, "id"), f"duplicate rule id '{item['id']}'")
            seen.add(item["id"])
            when = self.expression(item["when"], (*path, "when"), allowed, "when")
            level = None
            if item["filing_type"] == "rejected":
                if "level" in item:
                    self.problem((*path, "level"), "a rejected outcome has no level")
            elif "level" not in item:
                self.problem(path, "needs a level (an expression giving one of the level ids)")
            else:
                level = self.expression(item["level"], (*path, "level"), allowed, "level")
            reason = self.text(item["reason"], (*path, "reason"), text_allowed, "reason")
            reason_en = self.text(item.get("reason_en"), (*path, "reason_en"), text_allowed, "reason_en")
            if when and reason:
                rules.append(AuthorityRule(id=item["id"], name=item["name"], when=when, filing_type=item["filing_type"],
                                           level=level, reason=reason, reason_en=reason_en))
        return levels, rules

    def guide(self, authority_rules):
        """The guide's readable authority table names rules that exist (a
        misspelt id would silently drop a row from the public page)."""
        rule_ids = {rule.id for rule in authority_rules}
        for key in ("authority", "authority_en"):
            for rule_id in (self.data.get("guide") or {}).get(key) or {}:
                if rule_id not in rule_ids:
                    self.problem(("guide", key, rule_id), f"no authority rule '{rule_id}' to describe")

    def energy(self, allowed):
        raw = self.data.get("energy_review")
        if not raw:
            return {}, []
        levels = self.levels(raw["levels"], ("energy_review", "levels"))
        rules = []
        text_allowed = allowed | TEXT_NAMES
        for i, item in enumerate(raw["rules"]):
            path = ("energy_review", "rules", i)
            if item["level"] not in levels:
                self.problem((*path, "level"), f"unknown energy review level '{item['level']}'")
            when = self.expression(item["when"], (*path, "when"), allowed, "when")
            reason = self.text(item["reason"], (*path, "reason"), text_allowed, "reason")
            reason_en = self.text(item.get("reason_en"), (*path, "reason_en"), text_allowed, "reason_en")
            if when and reason:
                rules.append(EnergyRule(id=item["id"], when=when, level=item["level"], reason=reason,
                                        reason_en=reason_en))
        return levels, rules

    def materials(self, allowed):
        materials, seen = [], set()
        cond_allowed = allowed | OUTCOME_NAMES
        text_allowed = allowed | TEXT_NAMES
        for i, item in enumerate(self.data.get("materials") or []):
            path = ("materials", i)
            if item["id"] in seen:
                self.problem((*path, "id"), f"duplicate material id '{item['id']}'")
            seen.add(item["id"])
            when = self.expression(item["when"], (*path, "when"), cond_allowed, "when") if "when" in item else None
            reason = self.text(item["reason"], (*path, "reason"), text_allowed, "reason")
            reason_en = self.text(item.get("reason_en"), (*path, "reason_en"), text_allowed, "reason_en")
            if reason:
                materials.append(Material(
                    id=item["id"], name=item["name"], name_en=item.get("name_en"), description=item["description"],
                    description_en=item.get("description_en"), reason=reason, reason_en=reason_en, when=when,
                    file_types=tuple(item.get("file_types") or ("pdf", "jpg", "png")),
                    deferrable=bool(item.get("deferrable", False)),
                    deferral=item["deferrable"] if isinstance(item.get("deferrable"), dict) else None,
                    stage=item.get("stage", "filing"), stage_given="stage" in item,
                    legal_basis=item.get("legal_basis", ""),
                    form=item.get("form"), copies=item.get("copies"),
                    review_points=tuple(item.get("review_points") or ()),
                ))
        return materials

    def examples(self, materials):
        known = {m.id for m in materials}
        for i, example in enumerate(self.data.get("examples") or []):
            unknown_fields = sorted(set(example["answers"]) - set(self.fields))
            if unknown_fields:
                self.problem(("examples", i, "answers"), f"unknown fields: {', '.join(unknown_fields)}")
            expected = (example.get("expect") or {}).get("materials") or []
            unknown = sorted(set(expected) - known)
            if unknown:
                self.problem(("examples", i, "expect", "materials"), f"unknown materials: {', '.join(unknown)}")
        return list(self.data.get("examples") or [])

    def changes(self, functions):
        """The `changes:` section (备案变更). Its rules read the change's names
        and the spec's functions, never an answer directly: what they compare is
        named by the section's field lists."""
        raw = self.data.get("changes")
        if not raw:
            return None
        lists = {}
        for key in ("measures", *CHANGE_GROUPS):
            for i, field_id in enumerate(raw[key]):
                spec_field = self.fields.get(field_id)
                if spec_field is None:
                    self.problem(("changes", key, i), f"unknown field '{field_id}'")
                elif key == "measures" and spec_field.type.name not in MEASURE_TYPES:
                    self.problem(("changes", key, i), f"field '{field_id}' is a {spec_field.type.name} field; "
                                 "a measure is a decimal or integer field")
            lists[key] = tuple(raw[key])
        allowed = set(functions) | CHANGE_NAMES
        rules, seen = [], set()
        for i, item in enumerate(raw["rules"]):
            path = ("changes", "rules", i)
            if item["id"] in seen:
                self.problem((*path, "id"), f"duplicate rule id '{item['id']}'")
            seen.add(item["id"])
            when = self.expression(item["when"], (*path, "when"), allowed, "when")
            reason = self.text(item["reason"], (*path, "reason"), allowed, "reason")
            reason_en = self.text(item.get("reason_en"), (*path, "reason_en"), allowed, "reason_en")
            if when and reason:
                rules.append(ChangeRule(id=item["id"], when=when, outcome=item["outcome"], reason=reason,
                                        reason_en=reason_en))
        for i, example in enumerate(raw.get("examples") or []):
            for side in ("before", "after"):
                unknown = sorted(set(example[side]) - set(self.fields))
                if unknown:
                    self.problem(("changes", "examples", i, side), f"unknown fields: {', '.join(unknown)}")
        return ChangeRules(rules=rules, examples=list(raw.get("examples") or []), **lists)

    def documents(self, allowed, templates, section="documents"):
        """The packet's documents (`documents:`) or a decision's official ones (`issued:`)."""
        documents, seen = [], set()
        for i, item in enumerate(self.data.get(section) or []):
            path = (section, i)
            if item["id"] in seen:
                self.problem((*path, "id"), f"duplicate document id '{item['id']}'")
            seen.add(item["id"])
            when = self.expression(item["when"], (*path, "when"), allowed | DOCUMENT_NAMES, "when") \
                if "when" in item else None
            source = templates.get(item["template"])
            if source is None:
                self.problem((*path, "template"), f"template '{item['template']}' not found in doc_templates/")
                continue
            # The template itself is compiled and checked by the documents engine (the publish gate runs it).
            if section == "issued":
                documents.append(IssuedSpec(id=item["id"], template_name=item["template"], source=source, when=when,
                                            after=item["after"]))
            else:
                documents.append(DocumentSpec(id=item["id"], template_name=item["template"], source=source,
                                              when=when))
        return documents

    def case_index(self):
        raw = self.data.get("case_index") or {}
        found = {}
        for key, allowed_types in CASE_INDEX_TYPES.items():
            field_id = raw.get(key)
            field = self.fields.get(field_id)
            if field is None:
                self.problem(("case_index", key),
                             f"the spec has no field '{field_id}' (renamed? change case_index too)")
            elif field.type.name not in allowed_types:
                self.problem(("case_index", key), f"field '{field_id}' is a {field.type.name} field; "
                             f"it must be one of: {', '.join(sorted(allowed_types))}")
            else:
                found[key] = field
        return CaseIndex(**found) if len(found) == len(CASE_INDEX_TYPES) else None
