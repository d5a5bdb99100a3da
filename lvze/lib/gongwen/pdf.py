"""Convert a .docx to PDF with headless LibreOffice, mapping the official fonts to free ones.

LibreOffice is optional: the platform emits .docx everywhere and offers PDF only where `soffice`
is installed, so callers check `libreoffice_available()` first. Each conversion gets its own
throw-away LibreOffice profile, because two conversions sharing a profile block or fail, and
web workers convert concurrently.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).with_name("fonts.conf")
DEFAULT_TIMEOUT_SECONDS = 120
_SOFFICE_NAMES = ("soffice", "libreoffice")


class ConversionError(RuntimeError):
    """LibreOffice failed, timed out or produced no PDF."""


def soffice_path() -> str | None:
    """Debian installs the launcher as soffice; some distributions only as libreoffice."""
    for name in _SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def libreoffice_available() -> bool:
    """Whether PDF conversion can be offered on this machine."""
    return soffice_path() is not None


def docx_to_pdf(
    docx_path: str | Path, out_dir: str | Path, *, timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> Path:
    """Write `<out_dir>/<stem>.pdf` and return its path; raise `ConversionError` on any failure."""
    soffice = soffice_path()
    if soffice is None:
        raise ConversionError("未安装 LibreOffice（soffice），无法生成 PDF")
    docx_path, out_dir = Path(docx_path).resolve(), Path(out_dir).resolve()
    if not docx_path.is_file():
        raise ConversionError(f"找不到要转换的文件：{docx_path}")
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = out_dir / f"{docx_path.stem}.pdf"
    pdf_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="lvze-soffice-") as profile_dir:
        command = _command(soffice, Path(profile_dir), docx_path, out_dir)
        _run(command, _environment(Path(profile_dir)), timeout)
    if not pdf_path.is_file():
        raise ConversionError(f"LibreOffice 未生成 PDF：{docx_path.name}")
    return pdf_path


def _command(soffice: str, profile_dir: Path, docx_path: Path, out_dir: Path) -> list[str]:
    return [
        soffice,
        f"-env:UserInstallation={profile_dir.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        str(docx_path),
    ]


def _environment(profile_dir: Path) -> dict[str, str]:
    """Our font substitutes, and a HOME that LibreOffice may write to even under a locked-down user."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(profile_dir)}


def _run(command: list[str], env: dict[str, str], timeout: float) -> None:
    """Run in a new process group so that a timeout ends soffice.bin too, not only its launcher."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionError(f"LibreOffice 转换超时（{timeout:g} 秒）") from None
    if process.returncode != 0:
        message = stderr.decode("utf-8", "replace").strip()
        raise ConversionError(f"LibreOffice 转换失败（退出码 {process.returncode}）：{message}")
