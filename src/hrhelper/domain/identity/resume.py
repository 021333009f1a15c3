"""Resume files: what we accept is decided by the content, not by the name."""

from __future__ import annotations

import io
import zipfile

from hrhelper.domain.errors import InvalidInput

__all__ = ["MAX_RESUME_BYTES", "sniff_resume_type"]

MAX_RESUME_BYTES = 10 * 1024 * 1024
_ALLOWED = "PDF, DOC, DOCX, RTF or TXT"


def _is_text(content: bytes) -> bool:
    if b"\x00" in content[:8192]:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            content.decode("cp1251")  # Cyrillic resumes saved by older Windows editors
        except UnicodeDecodeError:
            return False
    return True


def _is_docx(content: bytes) -> bool:
    """Reads the archive's central directory (blocking work: callers run it off the loop)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except Exception:  # any damage means "not a DOCX"
        # A damaged upload fails in many ways besides BadZipFile: NotImplementedError for an
        # unknown version or compression, UnicodeDecodeError for a name, ValueError, zlib
        # and struct errors, EOFError, OverflowError. None of them is the server's fault.
        return False
    return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)


def sniff_resume_type(content: bytes) -> str:
    """The MIME type of an acceptable resume; InvalidInput for anything else.

    Blocking work (it may read a ZIP archive and decode up to 10 MB): run it off the loop."""
    if not content:
        raise InvalidInput.for_fields({"resume": ["The file is empty."]})
    if len(content) > MAX_RESUME_BYTES:
        raise InvalidInput.for_fields({"resume": ["The file is larger than 10 MB."]})
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"{\\rtf"):
        return "application/rtf"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"
    if content.startswith(b"PK\x03\x04") and _is_docx(content):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if _is_text(content):
        return "text/plain"
    raise InvalidInput.for_fields({"resume": [f"The file must be a {_ALLOWED} document."]})
