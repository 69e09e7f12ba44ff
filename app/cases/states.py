"""A case's states, the one table of the moves between them, and their names.

Every change of state goes through `moves.move`, which checks this table
and makes the change with one UPDATE guarded by the states it may start from,
so two moves racing on one case cannot both happen.
"""

import enum
from dataclasses import dataclass

from app.messages import N_
from app.names import FILING_TYPES


class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # 待受理
    ACCEPTED = "accepted"  # 已受理
    RETURNED = "returned"  # 退回补正： the applicant corrects and resubmits
    COMPLETED = "completed"  # 已办结, with the official project code
    FORWARDED = "forwarded"  # 已转报 to the level that decides
    NOT_ACCEPTED = "not_accepted"  # 不予受理
    # Life after submission (after_filing.py):
    WITHDRAWN = "withdrawn"  # 已撤回 by the applicant before acceptance; keeps its reference
    CANCELLED = "cancelled"  # 已注销: the project abandoned, confirmed by an officer
    LAPSED = "lapsed"  # 已失效: no start within two years of filing
    # 备案变更 (amendments.py):
    CHANGED = "changed"  # 已变更: a completed change of this filing replaced it
    RECORDED = "recorded"  # 已记录: a change too small to need a 备案变更, recorded with the filing


S = Status
EDITABLE = (S.DRAFT, S.RETURNED)  # the applicant may change the answers and files
SUBMITTED_STATES = (S.SUBMITTED, S.ACCEPTED, S.RETURNED, S.FORWARDED, S.COMPLETED, S.NOT_ACCEPTED, S.WITHDRAWN,
                    S.CANCELLED, S.LAPSED, S.CHANGED, S.RECORDED)
# Out of the queue's default list (the state filter still finds them): taken back, or never officers' work.
OUT_OF_QUEUE = (S.WITHDRAWN, S.RECORDED)

APPLICANT, OFFICER = "applicant", "officer"


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: Status
    by: str  # who may make it


TRANSITIONS = {
    "submit": Transition(frozenset({S.DRAFT}), S.SUBMITTED, APPLICANT),
    "resubmit": Transition(frozenset({S.RETURNED}), S.SUBMITTED, APPLICANT),
    "accept": Transition(frozenset({S.SUBMITTED}), S.ACCEPTED, OFFICER),
    "return": Transition(frozenset({S.SUBMITTED, S.ACCEPTED}), S.RETURNED, OFFICER),
    "complete": Transition(frozenset({S.ACCEPTED}), S.COMPLETED, OFFICER),
    "forward": Transition(frozenset({S.SUBMITTED, S.ACCEPTED}), S.FORWARDED, OFFICER),
    "not_accept": Transition(frozenset({S.SUBMITTED}), S.NOT_ACCEPTED, OFFICER),
    # After filing: not decisions of the form on the case page, each with its own
    # guard (after_filing.py) — a pending request, a lapsed clock, an overdue paper.
    "withdraw": Transition(frozenset({S.SUBMITTED, S.RETURNED}), S.WITHDRAWN, APPLICANT),
    "cancel": Transition(frozenset({S.COMPLETED}), S.CANCELLED, OFFICER),
    "lapse": Transition(frozenset({S.COMPLETED}), S.LAPSED, OFFICER),
    "void_acceptance": Transition(frozenset({S.ACCEPTED}), S.RETURNED, OFFICER),
    # 备案变更: a change too small to need one is recorded by the applicant; a
    # change the officer completes replaces the filing it changes.
    "record_change": Transition(frozenset({S.DRAFT}), S.RECORDED, APPLICANT),
    "supersede": Transition(frozenset({S.COMPLETED}), S.CHANGED, OFFICER),
}
FORM_DECISIONS = ("accept", "return", "complete", "forward", "not_accept")  # the decision form's actions


def allowed(status, by, escalated=False):
    """The actions `by` may take from `status` (forwarding only for escalated cases)."""
    return [action for action, t in TRANSITIONS.items()
            if action in FORM_DECISIONS and t.by == by and status in t.sources and (action != "forward" or escalated)]


# Names shown to people (Chinese msgids; the page translates them).
STATUS_LABELS = {
    "draft": N_("草稿"), "submitted": N_("已提交，待受理"), "accepted": N_("已受理"), "returned": N_("退回补正"),
    "completed": N_("已办结"), "forwarded": N_("已转报"), "not_accepted": N_("不予受理"), "withdrawn": N_("已撤回"),
    "cancelled": N_("已注销"), "lapsed": N_("已失效"), "changed": N_("已变更"), "recorded": N_("已记录（无须变更）"),
}
ACTION_LABELS = {
    "submit": N_("提交"), "resubmit": N_("补正后重新提交"), "accept": N_("受理"), "return": N_("退回补正"),
    "complete": N_("办结"), "forward": N_("转报"), "not_accept": N_("不予受理"), "withdraw": N_("撤回申请"),
    "cancel": N_("注销备案"), "lapse": N_("标记为失效"), "void_acceptance": N_("撤销受理"),
    "record_change": N_("记录修改（无须备案变更）"), "supersede": N_("备案已变更"),
}
EVENT_LABELS = {
    **ACTION_LABELS, "packet_downloaded": N_("下载材料包"), "document_downloaded": N_("下载文件"),
    "file_viewed": N_("查看材料"), "file_downloaded": N_("下载材料"), "issued_downloaded": N_("下载签发文件"),
    "issued_revoked": N_("撤销签发文件"), "courier_requested": N_("申请邮寄纸质文件"),
    "courier_dispatched": N_("寄出纸质文件"), "cancel_requested": N_("申请注销"), "start_reported": N_("报送开工"),
    "completion_reported": N_("报送竣工"), "deferral_supplied": N_("补交容缺材料"),
    "change_started": N_("申请备案变更"), "change_recorded": N_("记录了无须备案变更的修改"),
    "extension_requested": N_("申请延期开工"), "extension_granted": N_("同意延期开工"),
    "extension_refused": N_("不同意延期开工"), "archived": N_("归档"),
}
ISSUED_STATUS_LABELS = {"valid": N_("有效"), "superseded": N_("已被替代"), "revoked": N_("已撤销"),
                        "lapsed": N_("已失效（两年内未开工）")}
FILING_TYPE_LABELS = FILING_TYPES
MATERIAL_STATE_LABELS = {"uploaded": N_("已上传"), "deferred": N_("容缺后补"), "missing": N_("待上传"),
                         "later": N_("开工前取得")}
MATERIAL_FORM_LABELS = {"original": N_("原件"), "copy": N_("复印件"), "original_and_copy": N_("原件及复印件"),
                        "electronic": N_("电子材料")}
# When a deferred paper is due (容缺受理): the spec's `deferrable` deadline.
DEADLINE_WORKING_DAYS = N_("受理后%(n)s个工作日内")
DEADLINE_BEFORE_CONSTRUCTION = N_("开工建设前")
