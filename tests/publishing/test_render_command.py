"""`flask documents render`: the contract for outside checks."""

import hashlib
import json
from pathlib import Path

from tests.support.documents import DEMO


def test_renders_every_file_and_a_manifest(runner, tmp_path):
    source = tmp_path / "answers.json"
    source.write_text(json.dumps(DEMO, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(args=["documents", "render", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert "manifest.json" in files and "application_form.pdf" in files and "receipt.docx" in files
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reference"] == "XS-0000-000000"
    for entry in manifest["files"]:
        assert hashlib.sha256((out / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]


def test_missing_fields_print_as_empty(runner, tmp_path):
    source = tmp_path / "answers.json"
    source.write_text('{"project_name": "只有名称的项目"}', encoding="utf-8")
    result = runner.invoke(args=["documents", "render", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert Path(tmp_path / "out" / "application_form.pdf").stat().st_size > 1000


def test_bad_json_exits_2(runner, tmp_path):
    source = tmp_path / "answers.json"
    source.write_text("{oops", encoding="utf-8")
    result = runner.invoke(args=["documents", "render", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "malformed JSON" in result.stderr
