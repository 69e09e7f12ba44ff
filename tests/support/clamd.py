"""A real ClamAV daemon for the tests: Debian's clamd started in a temporary
folder with a local signature database, since the official signatures cannot
be downloaded here. The database detects the EICAR test file (by its MD5,
as ClamAV's own signature does) and the EICAR string anywhere in a file (so
that a PDF carrying it is found too)."""

import hashlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

# Split so that no scanner flags this source file itself.
EICAR = (b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
SIGNATURE = "Eicar-Test-Signature"


def clamd_binary():
    return shutil.which("clamd") or ("/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None)


def _write_database(folder):
    folder.mkdir()
    digest = hashlib.md5(EICAR).hexdigest()  # noqa: S324 (ClamAV's .hdb format is MD5)
    (folder / "eicar.hdb").write_text(f"{digest}:{len(EICAR)}:{SIGNATURE}\n")
    (folder / "eicar.ndb").write_text(f"{SIGNATURE}.Embedded:0:*:{EICAR.hex()}\n")


def _answers(path):
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(1)
            sock.connect(str(path))
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


def start(folder, timeout=60):
    """Start clamd in `folder`; returns (process, socket path). Raises RuntimeError when it cannot."""
    binary = clamd_binary()
    if binary is None:
        raise RuntimeError("clamd is not installed: run scripts/setup.sh dev as root (Debian's clamav-daemon)")
    _write_database(folder / "db")
    sock = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text("\n".join([
        f"DatabaseDirectory {folder / 'db'}", f"LocalSocket {sock}", "Foreground yes",
        f"TemporaryDirectory {folder}", f"LogFile {folder / 'clamd.log'}", "StreamMaxLength 30M", ""]))
    process = subprocess.Popen([binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _answers(sock):
            return process, sock
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    log = (folder / "clamd.log").read_text(errors="replace") if (folder / "clamd.log").exists() else ""
    raise RuntimeError(f"clamd did not start: {log[-2000:]}")
