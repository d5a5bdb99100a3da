"""What an uploaded file really is, decided by its content, and a safe name for it. No Django.

A file is accepted only when its content is what its extension says (a script renamed .pdf, an .exe
renamed .docx, an HTML page renamed .jpg are refused), and a zip-based file (.docx, .xlsx, .ofd,
.zip) only when unpacking it stays within bounds: a zip bomb is refused before anything reads it.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

# Extension → the content kind it must have.
EXTENSION_KINDS = {
    ".pdf": "pdf",
    ".doc": "ole",
    ".xls": "ole",
    ".wps": "ole",
    ".et": "ole",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".ofd": "ofd",
    ".zip": "zip",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".txt": "text",
}
KIND_NAMES = {
    "pdf": "PDF 文档",
    "ole": "Office 97-2003 / WPS 文档",
    "docx": "Word 文档（.docx）",
    "xlsx": "Excel 工作簿（.xlsx）",
    "ofd": "OFD 版式文档",
    "zip": "ZIP 压缩包",
    "jpeg": "JPEG 图片",
    "png": "PNG 图片",
    "text": "纯文本",
}
# What the download view declares (never the browser's guess at upload time).
MIME_TYPES = {
    "pdf": "application/pdf",
    "ole": "application/octet-stream",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
    "zip": "application/zip",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "text": "text/plain; charset=utf-8",
}

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class ZipLimits:
    max_unpacked: int = 200 * 1024 * 1024  # all members together, unpacked
    max_entries: int = 10_000
    max_ratio: int = 200  # unpacked ÷ packed, for members larger than 1 MB unpacked


LIMITS = ZipLimits()  # lvze.security.apps sets it from the settings at start-up


class FileRefused(ValueError):
    """A file that is not what it claims or is unsafe to unpack; the message is for the user."""


def extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return ("." + base.rsplit(".", 1)[-1].lower()) if "." in base else ""


def zip_kind(data: bytes, limits: ZipLimits | None = None) -> str:
    """docx, xlsx, ofd or zip — after checking the archive would unpack within the limits."""
    limits = limits or LIMITS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileRefused("文件已损坏，不是有效的压缩格式") from exc
    if len(members) > limits.max_entries:
        raise FileRefused(f"压缩包内文件过多（{len(members)} 个），疑似压缩炸弹，已拒绝")
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked:
        mb = limits.max_unpacked // 1024 // 1024
        raise FileRefused(f"文件解压后超过 {mb} MB，疑似压缩炸弹，已拒绝")
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > limits.max_ratio * max(member.compress_size, 1):
            raise FileRefused("文件压缩比异常，疑似压缩炸弹，已拒绝")
    names = {m.filename for m in members}
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return "zip"


def is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def detect(data: bytes, limits: ZipLimits | None = None) -> str | None:
    """The kind of content by its leading bytes (and, for a zip, by what it holds); None if unknown."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return zip_kind(data, limits)
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(PNG_MAGIC):
        return "png"
    if data and is_text(data):
        return "text"
    return None


def check_content(name: str, data: bytes, allowed: dict[str, str] | None = None, limits: ZipLimits | None = None) -> str:
    """The file's kind when its content matches its extension; FileRefused otherwise."""
    allowed = EXTENSION_KINDS if allowed is None else allowed
    suffix = extension(name)
    if suffix not in allowed:
        raise FileRefused(f"不支持的文件类型“{suffix or '无扩展名'}”，允许：{'、'.join(sorted(allowed))}")
    if not data:
        raise FileRefused("文件是空的")
    expected = allowed[suffix]
    found = detect(data, limits)
    if found == expected or (expected == "zip" and found in {"docx", "xlsx", "ofd"}):
        return expected
    actual = KIND_NAMES.get(found, "无法识别的内容") if found else "无法识别的内容"
    raise FileRefused(f"文件内容与扩展名不符：扩展名为{suffix}，内容却是{actual}，已拒绝")


UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def safe_filename(name: str, fallback: str = "附件", max_length: int = 120) -> str:
    """A file name to store and offer for download: no directories, control or reserved characters,
    leading dots or trailing spaces; NFC-normalised; shortened keeping the extension."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = UNSAFE.sub("_", base).strip().lstrip(".").rstrip(". ")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = ext[:10]
    stem = stem[: max_length - len(ext) - 1].rstrip(". ") or fallback
    return f"{stem}.{ext}" if ext else stem
