"""Page images of the documents for docs/images and the README: what the
applicant downloads for a filing (备案), an approval (核准) and an examination
(审批) case, and the issued 受理通知书, 备案证明 and 补正告知书, sealed with a
development seal.

    .venv/bin/python scripts/document_images.py [--out docs/images]
"""

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import pypdfium2  # noqa: E402 - after the path is set

from app import create_app  # noqa: E402
from app.cases import service as cases  # noqa: E402
from app.documents import service as documents  # noqa: E402
from app.rules import service as rules  # noqa: E402
from app.seals import service as seals  # noqa: E402
from app.specs import service as specs  # noqa: E402

CASES = {"filing": {}, "approval": {"catalogue_item": "captive_power", "energy_tce": 20000, "eia_category": "report"},
         "examination": {"gov_investment": True, "gov_budget_level": "district"}}
PAGES = {"application_form": 2, "project_proposal": 2}  # the form's second page; the proposal's contents


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "docs" / "images"))
    args = parser.parse_args()
    app = create_app({"APP_ENV": "testing", "SECRET_KEY": "images-secret-key-0123456789abcdef",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_BASE_URL": "https://touzi.xiaoshan.gov.cn"})
    app.instance_path = tempfile.mkdtemp(prefix="onetrip-images-")
    spec = specs.check_file(specs.SPEC_DIR / "enterprise_investment.yaml")
    demo = json.loads((ROOT / "tests" / "documents" / "demo_answers.json").read_text(encoding="utf-8"))
    answers, _ = rules.from_json(spec, demo)
    data = cases.sample_data(spec, answers, reference="XS-2026-000123", submitted_at=dt.datetime(2026, 11, 20, 2))
    out = Path(args.out)
    for case, changes in CASES.items():
        answers, _ = rules.from_json(spec, {**demo, **changes})
        case_data = cases.sample_data(spec, answers, reference="XS-2026-000123",
                                      submitted_at=dt.datetime(2026, 11, 20, 2))
        for document in documents.titles(spec, case_data):
            _, _, pdf = documents.render(spec, case_data, document.id, "pdf")
            _save_pages(pdf, out / f"{case}-{document.id}", PAGES.get(document.id, 1))
    with app.app_context():
        for action, name in (("accept", "acceptance_notice"), ("complete", "filing_certificate"),
                             ("return", "correction_notice")):
            decision, _ = cases.sample_decision(spec, data, action, "district")
            decision.update(reason="请一并补充说明。" if action == "return" else "",
                            notes=[{"kind": "field", "where": "注册资本", "answer": "1,000.00 万元",
                                    "note": "与营业执照记载不一致，请核对"},
                                   {"kind": "field", "where": "建设规模及内容", "answer": "改造现有厂房…",
                                    "note": "请写明新增建筑面积和主要设备数量"},
                                   {"kind": "step", "where": "能源消耗与环境影响", "answer": "",
                                    "note": "请补充年用水量"}])
            verification = {"code": "7KQ3-M9XD-2F8W-HT4P", "url": "https://touzi.xiaoshan.gov.cn/verify/7KQ3M9XD2F8WHT4P"}
            pdf, _title, boxes = documents.render_issued(spec, data, documents.issued_for(spec, data, action),
                                                         decision, verification)
            _save_pages(seals.seal(pdf, *boxes[-1], reason=name), out / name, 1)


def _save_pages(pdf, stem, count):
    pages = pypdfium2.PdfDocument(pdf)
    for number in range(min(count, len(pages))):
        path = stem.with_name(f"{stem.name}-page{number + 1}.png")
        pages[number].render(scale=1.2).to_pil().save(path)
        print(f"wrote {path} (page {number + 1} of {len(pages)})")


if __name__ == "__main__":
    main()
