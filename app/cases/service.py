"""The case's public face: everything screens, jobs and commands may do with a
case goes through here. Nothing of HTTP: no requests, no responses."""

from app.cases import filestore, materials, notices, packets
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
    NoLiveSpec,
    NotEditable,
    PreviewOnly,
    Rejected,
    allowed_decisions,
    decide,
    delete_draft,
    next_reference,
    record,
    save_step,
    start,
    submit,
)
from app.cases.lookups import applications_of, events, latest_return, owned_application, submitted_case
from app.cases.materials import ChecklistItem, FileInfo
from app.cases.models import Application, CaseEvent, MaterialDeferral, MaterialFile, Submission
from app.cases.queue import QueueFilter, counts_by_state, grouped_counts, queue, queue_all, timings
from app.cases.samples import sample_data
from app.cases.states import (
    ACTION_LABELS,
    EDITABLE,
    EVENT_LABELS,
    FILING_TYPE_LABELS,
    MATERIAL_STATE_LABELS,
    STATUS_LABELS,
    SUBMITTED_STATES,
    Status,
)
from app.documents import service as documents

__all__ = [
    "ACTION_LABELS",
    "EDITABLE",
    "EVENT_LABELS",
    "FILING_TYPE_LABELS",
    "MATERIAL_STATE_LABELS",
    "STATUS_LABELS",
    "SUBMITTED_STATES",
    "Application",
    "CaseEvaluation",
    "CaseEvent",
    "ChecklistItem",
    "Decision",
    "DecisionRefused",
    "FileInfo",
    "Incomplete",
    "MaterialDeferral",
    "MaterialFile",
    "MaterialsMissing",
    "NoLiveSpec",
    "NotEditable",
    "PreviewOnly",
    "QueueFilter",
    "Rejected",
    "Status",
    "Submission",
    "UploadRefused",
    "allowed_decisions",
    "applications_of",
    "counts_by_state",
    "decide",
    "delete_draft",
    "delete_file",
    "document",
    "evaluate",
    "evaluate_answers",
    "evaluate_current",
    "evaluate_submission",
    "events",
    "file_of",
    "file_path",
    "grouped_counts",
    "latest_return",
    "messages_of",
    "next_reference",
    "owned_application",
    "packet",
    "queue",
    "queue_all",
    "record",
    "sample_data",
    "save_step",
    "set_deferred",
    "spec_of",
    "start",
    "status_url",
    "submit",
    "submitted_case",
    "timings",
    "upload",
]

messages_of = notices.messages_of
file_of = materials.file_of
upload = materials.upload
delete_file = materials.delete
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
