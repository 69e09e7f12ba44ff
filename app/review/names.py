"""The names an officer reads instead of the codes stored on a case: states,
filing types (备案/核准/审批), levels, towns and industry sections, SMS states,
in the officer's language. Levels, towns and sections are the spec's (its
`authority.levels` and the options of the fields its `case_index` names)."""

from app.cases import service as cases
from app.messages import N_
from app.names import SMS_STATE_LABELS, sms_state
from app.web import service as web

NONE = "—"
YES, NO = N_("是"), N_("否")


class CaseNames:
    """Made once per request; `spec` may be None before anything is published."""

    def __init__(self, spec, lang):
        english = lang.startswith("en")
        levels = spec.levels.values() if spec else ()
        self.levels = [(level.id, (level.name_en if english else None) or level.name) for level in levels]
        index = spec.case_index if spec else None
        self.towns = [(o["value"], o["label"]) for o in index.town.options_for(lang)] if index else []
        self.sections = [(o["value"], o["label"]) for o in index.industry.options_for(lang)
                         if not o.get("parent")] if index else []
        self._levels, self._towns, self._sections = dict(self.levels), dict(self.towns), dict(self.sections)

    @staticmethod
    def _name(table, code):
        if not code or code == NONE:
            return NONE
        return table.get(code, code)  # a code the live spec no longer has: better the code than nothing

    @staticmethod
    def _translated(table, code):
        return web.translate(table[code]) if code in table else CaseNames._name({}, code)

    def status(self, code):
        return self._translated(cases.STATUS_LABELS, code)

    def filing_type(self, code):
        return self._translated(cases.FILING_TYPE_LABELS, code)

    def level(self, code):
        return self._name(self._levels, code)

    def town(self, code):
        return self._name(self._towns, code)

    def section(self, code):
        return self._name(self._sections, code)

    @staticmethod
    def sms_status(message):
        return CaseNames._translated(SMS_STATE_LABELS, sms_state(message))

    @staticmethod
    def yes_no(flag):
        return web.translate(YES if flag else NO)
