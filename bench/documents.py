"""Document generation speed: the demo case's whole packet (every document in
Word and PDF, zipped with its manifest), built in-process, warm.

    .venv/bin/python bench/documents.py [--runs 20]

When LibreOffice (`soffice`) is on the machine, the same Word files are also
converted to PDF with `soffice --headless --convert-to pdf`, the usual way of
making PDFs from Word templates, for comparison. LibreOffice is never a
dependency of the site. Last line: one JSON object.
Also the official result of a decision: one 备案证明 rendered and sealed
(PAdES, the development seal), warm. Targets: packet ≤ 150 ms median; ≥ 20×
faster than the LibreOffice conversion alone; issue (render + seal) ≤ 100 ms.
"""

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # the root, not bench/ (bench/queue.py shadows `queue`)

from app import create_app
from app.cases import service as cases
from app.documents import service as documents
from app.rules import service as rules
from app.seals import service as seals
from app.specs import service as specs

DEMO = Path(__file__).resolve().parents[1] / "tests" / "documents" / "demo_answers.json"


def build_packet(spec, answers):
    """(the Word files, the zip) of the demo case's packet, from its answers to the bytes."""
    data = cases.sample_data(spec, answers, reference="XS-2026-000001", submitted_at=dt.datetime(2026, 11, 20, 9, 30),
                             status_url="https://onetrip.example/applications/1")
    packet, _manifest, files = documents.packet_of(spec, data, {"id": spec.id})
    return [(name, content) for name, content in files if name.endswith(".docx")], packet


def issue_certificate(app, spec, data):
    """One sealed 备案证明 of the demo case: laid out, written to PDF and sealed."""
    with app.app_context():
        issued_spec = documents.issued_for(spec, data, "complete")
        decision, verification = cases.sample_decision(spec, data, "complete")
        pdf, _title, boxes = documents.render_issued(spec, data, issued_spec, decision, verification)
        page, box = boxes[-1]
        return seals.seal(pdf, page, box, reason="企业投资项目备案证明")


def libreoffice_ms(docs, runs):
    """(per-document, batch) medians in ms: one soffice call per Word file, as a
    server converting each document on demand would; and all files in one call."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None, None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = []
        for name, content in docs:
            path = tmp / Path(name).name
            path.write_bytes(content)
            paths.append(str(path))
        profile = f"-env:UserInstallation=file://{tmp}/profile"
        subprocess.run([soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp / "warm"),
                        paths[0]], check=True, capture_output=True, timeout=300)  # first start sets up the profile
        def convert(files):
            start = time.perf_counter()
            subprocess.run([soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp / "out"),
                            *files], check=True, capture_output=True, timeout=300)
            return (time.perf_counter() - start) * 1000

        per_document = [sum(convert([path]) for path in paths) for _ in range(runs)]
        batch = [convert(paths) for _ in range(runs)]
        return statistics.median(per_document), statistics.median(batch)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--libreoffice-runs", type=int, default=3)
    args = parser.parse_args()

    spec = specs.check_file(specs.SPEC_DIR / "enterprise_investment.yaml")
    answers, _ = rules.from_json(spec, json.loads(DEMO.read_text(encoding="utf-8")))
    docs, data = build_packet(spec, answers)  # warm: fonts registered, templates compiled
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        docs, data = build_packet(spec, answers)
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(f"packet: {len(docs)} documents × 2 formats, {len(data) / 1024:.0f} KiB zip; "
          f"median {median:.1f} ms, p90 {sorted(times)[int(0.9 * (len(times) - 1))]:.1f} ms over {args.runs} runs")
    app = create_app({"APP_ENV": "testing", "SECRET_KEY": "bench-secret-key-0123456789abcdef",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app.instance_path = tempfile.mkdtemp(prefix="onetrip-issue-")  # the development seal is made here
    sample = cases.sample_data(spec, answers, reference="XS-2026-000001",
                               submitted_at=dt.datetime(2026, 11, 20, 9, 30), status_url="https://onetrip.example/")
    issue_certificate(app, spec, sample)  # warm: the signer loaded, the template compiled
    issue_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        issue_certificate(app, spec, sample)
        issue_times.append((time.perf_counter() - start) * 1000)
    issue_median = statistics.median(issue_times)
    print(f"issue: one 备案证明 rendered and sealed, median {issue_median:.1f} ms over {args.runs} runs")
    sealed = issue_certificate(app, spec, sample)
    verify_times = []
    with app.app_context():
        for _ in range(args.runs):
            start = time.perf_counter()
            assert seals.examine_pdf(sealed).state == "sealed"
            verify_times.append((time.perf_counter() - start) * 1000)
    verify_median = statistics.median(verify_times)
    print(f"verify: the seal of an uploaded 备案证明 checked (pyHanko validation), median {verify_median:.1f} ms")
    lo, lo_batch = libreoffice_ms(docs, args.libreoffice_runs)
    if lo is None:
        print("LibreOffice (soffice) not found: no comparison")
    else:
        print(f"LibreOffice converting the same {len(docs)} Word files to PDF, one call each: median {lo:.0f} ms "
              f"per packet ({lo / median:.1f}×); all in one call: {lo_batch:.0f} ms ({lo_batch / median:.1f}×)")
    print(json.dumps({"packet_ms_median": round(median, 1), "issue_ms_median": round(issue_median, 1),
                      "verify_ms_median": round(verify_median, 1),
                      "documents": len(docs),
                      "libreoffice_ms_per_packet": round(lo, 1) if lo else None,
                      "ratio_vs_libreoffice": round(lo / median, 1) if lo else None,
                      "libreoffice_batch_ms": round(lo_batch, 1) if lo_batch else None,
                      "ratio_vs_libreoffice_batch": round(lo_batch / median, 1) if lo_batch else None}))


if __name__ == "__main__":
    main()
