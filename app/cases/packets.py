"""A submitted case's packet: every document in Word and PDF, the uploaded
materials and manifest.json, built once per submission and kept. With Redis
a worker builds it right after the submission; without, the first download
does."""

from app import jobs
from app.cases import filestore, materials
from app.cases.evaluation import evaluate_submission, spec_of
from app.cases.lookups import submitted_case
from app.documents import service as documents


def build(application):
    """(zip bytes, manifest) of the latest submission, from its frozen answers."""
    evaluation = evaluate_submission(application)
    stored = materials.files_of(application.id)
    files = [(name, filestore.path_of(f.stored_name).read_bytes())
             for name, f in zip(entry_names(stored), stored, strict=True)]
    version = application.spec_version
    spec_info = {"id": version.spec_id, "version": version.number, "sha256": version.sha256}
    data, manifest, _ = documents.packet_of(spec_of(application), evaluation.document_data, spec_info, files)
    return data, manifest


def entry_names(files):
    """The packet's name of each MaterialFile (in upload order): `<material id>-<name>`,
    numbered `<material id>-<n>-<name>` when the material has several, so the names
    are unique and sort in the order the pages were uploaded."""
    counts, seen = {}, {}
    for f in files:
        counts[f.material_id] = counts.get(f.material_id, 0) + 1
    names, used = [], set()
    for f in files:
        seen[f.material_id] = number = seen.get(f.material_id, 0) + 1
        count = counts[f.material_id]
        name = (f"{f.material_id}-{f.download_name}" if count == 1
                else f"{f.material_id}-{number:0{len(str(count))}d}-{f.download_name}")
        stem, _, extension = name.rpartition(".")
        again = 1
        while name in used:  # `a` with `1-x.pdf` against `a-1` with `x.pdf`: still one entry each
            again += 1
            name = f"{stem}-{again}.{extension}"
        used.add(name)
        names.append(name)
    return names


def stored(application):
    return filestore.read_packet(application.id, len(application.submissions))


def build_and_store(application):
    data, _manifest = build(application)
    filestore.write_packet(application.id, len(application.submissions), data)
    return data


def build_packet_job(application_id):
    """The RQ job: build and keep a submitted application's packet."""
    app = jobs.worker_app()
    with app.app_context():
        application = submitted_case(application_id)
        if application is not None and stored(application) is None:
            build_and_store(application)


def prepare(application):
    """After a submission: have a worker build the packet now (with Redis).
    Returns False when it must be built in the request instead."""
    if not jobs.background_enabled():
        return False
    job_id = f"packet-{application.id}-{len(application.submissions)}"
    return jobs.enqueue("packets", build_packet_job, application.id, job_id=job_id)
