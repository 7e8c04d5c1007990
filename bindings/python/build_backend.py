"""A PEP 517 backend for the `mindgap` wheel, standard library only.

The wheel holds the package sources (src/mindgap) and the shared library
libmindgap.so, built before by `cargo build -p mindgap-ffi --release`. The
library is found through $MINDGAP_LIB, else $CARGO_TARGET_DIR/release or the
repository's target/release. The wheel is tagged py3-none-<platform>: the
code is pure Python, the library is native to the machine that built it.
"""
import base64
import hashlib
import os
import re
import sysconfig
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "mindgap"


def _version():
    with open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    project = text[text.index("[project]"):]
    return re.search(r'^version\s*=\s*"([^"]+)"', project, re.M).group(1)


def _extras():
    """[project.optional-dependencies] of pyproject.toml: {extra: [requirement]}."""
    with open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^\[project\.optional-dependencies\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    extras = {}
    for line in (m.group(1) if m else "").splitlines():
        e = re.match(r'^\s*([A-Za-z0-9_-]+)\s*=\s*\[(.*)\]\s*$', line)
        if e:
            extras[e.group(1)] = re.findall(r'"([^"]+)"', e.group(2))
    return extras


def _library():
    candidates = [os.environ.get("MINDGAP_LIB")]
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(HERE, "..", "..", "target")
    candidates.append(os.path.join(target, "release", "libmindgap.so"))
    for c in candidates:
        if c and os.path.isfile(c):
            return os.path.realpath(c)
    raise RuntimeError(
        "libmindgap.so not found: build it (cargo build -p mindgap-ffi --release) "
        "and set MINDGAP_LIB to its path")


def _platform_tag():
    return re.sub(r"[^A-Za-z0-9]", "_", sysconfig.get_platform())


def _metadata(version):
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {NAME}\n"
        f"Version: {version}\n"
        "Summary: Customer expectations diary: gap scores against the zone of tolerance, "
        "trends, follow-ups (ctypes over libmindgap)\n"
        "License: MIT OR Apache-2.0\n"
        "Requires-Python: >=3.8\n"
        "Classifier: Programming Language :: Python :: 3\n"
        "Classifier: Operating System :: POSIX :: Linux\n"
        "Classifier: Typing :: Typed\n"
        + "".join(f"Provides-Extra: {extra}\n"
                  + "".join(f'Requires-Dist: {r}; extra == "{extra}"\n' for r in reqs)
                  for extra, reqs in _extras().items())
        + "Description-Content-Type: text/markdown\n"
        "\n" + readme)


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    version = _version()
    tag = f"py3-none-{_platform_tag()}"
    dist_info = f"{NAME}-{version}.dist-info"
    files = []
    src = os.path.join(HERE, "src", NAME)
    for name in sorted(os.listdir(src)):
        if name.endswith((".py", ".typed", ".pyi")):
            with open(os.path.join(src, name), "rb") as f:
                files.append((f"{NAME}/{name}", f.read(), 0o644))
    with open(_library(), "rb") as f:
        files.append((f"{NAME}/libmindgap.so", f.read(), 0o755))
    files.append((f"{dist_info}/METADATA", _metadata(version).encode(), 0o644))
    files.append((f"{dist_info}/WHEEL", (
        "Wheel-Version: 1.0\nGenerator: mindgap build_backend\n"
        f"Root-Is-Purelib: false\nTag: {tag}\n").encode(), 0o644))
    files.append((f"{dist_info}/top_level.txt", f"{NAME}\n".encode(), 0o644))
    record = [_record_line(a, d) for a, d, _ in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode(), 0o644))
    wheel_name = f"{NAME}-{version}-{tag}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for arcname, data, mode in files:
            info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    """The sources alone: building a wheel from it needs a libmindgap.so."""
    version = _version()
    base = f"{NAME}-{version}"
    name = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        for rel in ["pyproject.toml", "build_backend.py", "README.md", "src", "tests"]:
            t.add(os.path.join(HERE, rel), arcname=f"{base}/{rel}",
                  filter=lambda i: None if "__pycache__" in i.name else i)
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = _metadata(version).encode()
        info.size = len(data)
        import io
        t.addfile(info, io.BytesIO(data))
    return name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []
