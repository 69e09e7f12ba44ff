"""A case's packet: every document in both formats, the uploaded materials and
manifest.json with the versions and a SHA-256 of every file. Zip entries have
fixed times and a fixed order, so the same inputs give the same bytes."""

import hashlib
import io
import json
import zipfile

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def manifest(reference, spec_info, templates, files):
    """`files`: [(name, bytes)] → the manifest dict (without itself)."""
    return {
        "reference": reference,
        "spec": spec_info,
        "templates": templates,
        "files": [{"name": name, "size": len(data), "sha256": sha256(data)} for name, data in files],
    }


def build_zip(files, manifest_data):
    names = [name for name, _ in files]
    if len(set(names)) != len(names):
        raise ValueError("two packet entries with one name")  # a zip would keep both, and unpack one
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files, key=lambda item: item[0]):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            # Word, PDF and image files are compressed already: store them as they are.
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)
        info = zipfile.ZipInfo("manifest.json", date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, json.dumps(manifest_data, ensure_ascii=False, indent=2, sort_keys=True))
    return out.getvalue()
