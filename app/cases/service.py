"""The case's public face: everything screens, jobs and commands may do with a
case goes through here. Nothing of HTTP: no requests, no responses."""

from app.cases import courier, filestore, issuing, materials, notices, packets
from app.cases.accounts import has_filed, remove_account
from app.cases.after_filing import (
    REPORT_KINDS,
    AfterFiling,
    after_filing_of,
    confirm_cancellation,
    file_as_new_project,
    funnel,
    mark_lapsed,
    pending_cancellation,
    report,
    reports_of,
    request_cancellation,
    start_change,
    supply_deferred,
    void_acceptance,
    withdraw,
)
from app.cases.changes import Amendment, Change, answered_notes, diff
from app.cases.courier import CourierRefused
from app.cases.deadlines import deferrals_of, lapse_clock, time_limit, time_limit_clock
from app.cases.evaluation import (
    CaseEvaluation,
    evaluate,
    evaluate_answers,
    evaluate_current,
    evaluate_submission,
    spec_of,
    status_url,
)
from app.cases.filestore import UploadRefused
from app.cases.lifecycle import (
    Decision,
    DecisionRefused,
    Incomplete,
    MaterialsMissing,
    NeedsNewFiling,
    NoLiveSpec,
    NotEditable,
    NothingChanged,
    PreviewOnly,
    Rejected,
    allowed_decisions,
    decide,
    delete_draft,
    next_reference,
    record,
    revoke_issued,
    save_step,
    start,
    submit,
    tell_refusal,
)
from app.cases.lookups import applications_of, events, latest_return, owned_application, submitted_case
from app.cases.malware import startup_warnings
from app.cases.materials import ChecklistItem, FileInfo, ReuseOffer
from app.cases.models import (
    Application,
    CaseEvent,
    CourierRequest,
    IssuedDocument,
    MaterialDeferral,
    MaterialFile,
    ProjectReport,
    Submission,
)
from app.cases.project_codes import problem as project_code_problem
from app.cases.queue import (
    CaseFigures,
    QueueFilter,
    QueuePage,
    cached_counts_by_state,
    case_figures,
    completed_count,
    counts_by_state,
    percentile_of_counts,
    queue,
    queue_export,
    submitted_per_day,
    working_days_percentiles,
)
from app.cases.queue import parse_cursor as parse_queue_cursor
from app.cases.samples import DECISIONS, sample_data, sample_decision
from app.cases.start_extension import decide_extension, request_extension
from app.cases.states import (
    ACTION_LABELS,
    DEADLINE_BEFORE_CONSTRUCTION,
    DEADLINE_WORKING_DAYS,
    EDITABLE,
    EVENT_LABELS,
    FILING_TYPE_LABELS,
    ISSUED_STATUS_LABELS,
    MATERIAL_FORM_LABELS,
    MATERIAL_STATE_LABELS,
    STATUS_LABELS,
    SUBMITTED_STATES,
    Status,
)
from app.cases.sweep import sweep
from app.cases.watch import KIND_LABELS as WATCH_KIND_LABELS
from app.cases.watch import WatchItem, cached_watch_counts, watch_counts, watch_list
from app.documents import service as documents

__all__ = [
    "ACTION_LABELS",
    "DEADLINE_BEFORE_CONSTRUCTION",
    "DEADLINE_WORKING_DAYS",
    "DECISIONS",
    "EDITABLE",
    "EVENT_LABELS",
    "FILING_TYPE_LABELS",
    "ISSUED_STATUS_LABELS",
    "MATERIAL_FORM_LABELS",
    "MATERIAL_STATE_LABELS",
    "REPORT_KINDS",
    "STATUS_LABELS",
    "SUBMITTED_STATES",
    "WATCH_KIND_LABELS",
    "AfterFiling",
    "Amendment",
    "Application",
    "CaseEvaluation",
    "CaseEvent",
    "CaseFigures",
    "Change",
    "ChecklistItem",
    "CourierRefused",
    "CourierRequest",
    "Decision",
    "DecisionRefused",
    "FileInfo",
    "Incomplete",
    "IssuedDocument",
    "MaterialDeferral",
    "MaterialFile",
    "MaterialsMissing",
    "NeedsNewFiling",
    "NoLiveSpec",
    "NotEditable",
    "NothingChanged",
    "PreviewOnly",
    "ProjectReport",
    "QueueFilter",
    "QueuePage",
    "Rejected",
    "ReuseOffer",
    "Status",
    "Submission",
    "UploadRefused",
    "WatchItem",
    "after_filing_of",
    "allowed_decisions",
    "answered_notes",
    "applications_of",
    "cached_counts_by_state",
    "cached_watch_counts",
    "case_figures",
    "completed_count",
    "confirm_cancellation",
    "counts_by_state",
    "courier_request_of",
    "courier_requestable",
    "decide",
    "decide_extension",
    "deferrals_of",
    "delete_draft",
    "delete_file",
    "diff",
    "dispatch_courier",
    "document",
    "evaluate",
    "evaluate_answers",
    "evaluate_current",
    "evaluate_submission",
    "events",
    "file_as_new_project",
    "file_of",
    "file_path",
    "funnel",
    "has_filed",
    "issued_by_code",
    "issued_by_id",
    "issued_by_sha256",
    "issued_file",
    "issued_of",
    "lapse_clock",
    "latest_return",
    "mark_lapsed",
    "material_checklist",
    "max_files_per_material",
    "messages_of",
    "next_reference",
    "normalized_issued_code",
    "owned_application",
    "packet",
    "parse_queue_cursor",
    "pending_cancellation",
    "percentile_of_counts",
    "project_code_problem",
    "queue",
    "queue_export",
    "record",
    "remove_account",
    "report",
    "reports_of",
    "request_cancellation",
    "request_courier",
    "request_extension",
    "reusable_material",
    "reuse_file",
    "reuse_offers",
    "revoke_issued",
    "sample_data",
    "sample_decision",
    "save_step",
    "set_deferred",
    "spec_of",
    "start",
    "start_change",
    "startup_warnings",
    "status_url",
    "submit",
    "submitted_case",
    "submitted_per_day",
    "supply_deferred",
    "sweep",
    "tell_refusal",
    "time_limit",
    "time_limit_clock",
    "upload",
    "void_acceptance",
    "watch_counts",
    "watch_list",
    "withdraw",
    "working_days_percentiles",
]

messages_of = notices.messages_of
issued_of = issuing.issued_of
issued_by_code = issuing.by_code
normalized_issued_code = issuing.normalized_code
issued_by_id = issuing.by_id
issued_by_sha256 = issuing.by_sha256
issued_file = issuing.read
courier_request_of = courier.request_of
request_courier = courier.request
courier_requestable = courier.requestable
dispatch_courier = courier.dispatch
file_of = materials.file_of
upload = materials.upload
delete_file = materials.delete
material_checklist = materials.checklist
max_files_per_material = materials.max_files
reusable_material = materials.reusable
reuse_offers = materials.reuse_offers
reuse_file = materials.reuse
set_deferred = materials.set_deferred


def file_path(stored):
    """Where an uploaded file (a MaterialFile) is on disk."""
    return filestore.path_of(stored.stored_name)


def document(evaluation, document_id, fmt):
    """(file name, MIME type, bytes) of one of the case's documents, or None."""
    return documents.render(evaluation.spec, evaluation.document_data, document_id, fmt)


def packet(application):
    """The latest submission's packet: (bytes, None) when kept or built now;
    (None, "pending") while a worker builds it."""
    data = packets.stored(application)
    if data is not None:
        return data, None
    if packets.prepare(application):
        return None, "pending"
    return packets.build_and_store(application), None
