"""The case's files on disk: uploaded materials and built packets, under
UPLOAD_DIR (a shared volume when several servers run).

Uploads are recognised by their first bytes (not their name), limited in size,
checked for active content (PDF), written under a random name outside
`static/`, and hashed. A refused upload leaves nothing behind: the temporary
file is removed whatever happens. Packets are written whole, then renamed.
"""

import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
from pathlib import Path

from flask import current_app

from app.cases import malware, pdfcheck
from app.messages import UserError

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}
KIND_NAMES = {"pdf": "PDF", "jpg": "JPG", "png": "PNG"}
CHUNK = 64 * 1024


class UploadRefused(UserError):
    """A file the case does not take (a Chinese msgid with params)."""


def sniff(head):
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    return None


def safe_name(filename):
    """A display name: no directories, no control characters, at most 120 characters."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".")
    return name[-120:] or "file"


def upload_dir():
    path = Path(current_app.config["UPLOAD_DIR"] or Path(current_app.instance_path) / "uploads")
    (path / "tmp").mkdir(parents=True, exist_ok=True)
    return path


def path_of(stored_name):
    return upload_dir() / stored_name[:2] / stored_name


def receive(stream, allowed_kinds):
    """Copy an upload stream to a temporary file, checking size and type.

    Returns (temp path, kind, size, sha256). Raises UploadRefused; on refusal
    the temporary file is already gone.
    """
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, tmp = tempfile.mkstemp(dir=upload_dir() / "tmp", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadRefused("文件超过%(mb)sMB，请压缩后再上传。", mb=limit // (1024 * 1024))
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRefused("文件是空的，请重新选择。")
        kind = sniff(head)
        if kind is None:
            raise UploadRefused("只接受PDF、JPG或PNG文件；此文件的内容不是这几种格式。")
        if kind not in allowed_kinds:
            names = "、".join(KIND_NAMES[k] for k in allowed_kinds)
            raise UploadRefused("此材料只接受%(kinds)s文件。", kinds=names)
        if kind == "pdf":
            active = pdfcheck.active_content(Path(tmp))
            if active is None:
                raise UploadRefused("此PDF已加密，无法检查其内容。请上传未加密的PDF。")
            if active:
                raise UploadRefused("此PDF含有脚本或自动执行的动作，不能上传。请用“打印为PDF”另存为普通PDF后再上传。")
        infected = malware.scan(tmp)
        if infected:
            raise UploadRefused(infected[0], **infected[1])
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp), kind, size, digest.hexdigest()


def keep(tmp_path, kind):
    """Move a received file to its permanent random name; returns the stored name."""
    stored_name = f"{secrets.token_hex(16)}.{kind}"
    final = path_of(stored_name)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_path, final)
    except BaseException:
        Path(tmp_path).unlink(missing_ok=True)
        raise
    return stored_name


def discard(stored_name):
    path_of(stored_name).unlink(missing_ok=True)


# --- Packets: built once per submission, kept beside the uploads ----------------

def packet_path(application_id, submission_number):
    """Where the packet of one submission is kept (submissions never change)."""
    return upload_dir() / "packets" / f"{application_id}-{submission_number}.zip"


def read_packet(application_id, submission_number):
    path = packet_path(application_id, submission_number)
    return path.read_bytes() if path.is_file() else None


def write_packet(application_id, submission_number, data):
    """Keep a packet: written to a temporary name, then renamed (never half a file)."""
    path = packet_path(application_id, submission_number)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


# --- Issued documents: sealed PDFs, written once, never changed ------------------

def issued_path(stored_name):
    return upload_dir() / "issued" / stored_name


def keep_issued(data):
    """Store a sealed PDF under a random name (written whole, then renamed); returns the name."""
    stored_name = f"{secrets.token_hex(16)}.pdf"
    path = issued_path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, path)
    return stored_name


def discard_issued(stored_name):
    issued_path(stored_name).unlink(missing_ok=True)
