"""A development office seal: a self-signed root and an office certificate
made on first use into instance/seal/, like the development secret key. For
trying the site only — it proves nothing to anyone outside this machine."""

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT_NAME = "OneTrip development seal root (not for real use)"


def _name(organisation, common_name):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _usage(**granted):
    flags = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                           "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"), False)
    return x509.KeyUsage(**{**flags, **granted})


def make_files(directory, office):
    """Write root.pem, office-cert.pem and office-key.pem into `directory`; returns their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    root_key, office_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root_name = _name("OneTrip development", ROOT_NAME)

    def issue(subject, key, ca):
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(root_name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True))
        usage = _usage(key_cert_sign=True, crl_sign=True) if ca else _usage(digital_signature=True,
                                                                              content_commitment=True)
        return builder.add_extension(usage, critical=True).sign(root_key, hashes.SHA256())

    root = issue(root_name, root_key, ca=True)
    office_cert = issue(_name(office, f"{office}（开发环境印章）"), office_key, ca=False)
    paths = {"root": directory / "root.pem", "cert": directory / "office-cert.pem", "key": directory / "office-key.pem"}
    paths["root"].write_bytes(root.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(office_cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(office_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))
    paths["key"].chmod(0o600)
    return paths


def ensure_files(instance_path, office="萧山区发展和改革局"):
    """The development seal's files, made once."""
    directory = Path(instance_path) / "seal"
    paths = {"root": directory / "root.pem", "cert": directory / "office-cert.pem", "key": directory / "office-key.pem"}
    if all(p.is_file() for p in paths.values()):
        return paths
    return make_files(directory, office)
