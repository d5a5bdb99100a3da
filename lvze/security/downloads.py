"""The one way an uploaded file leaves the platform: after the caller's scope check, as a download
(never rendered in the platform's origin), with the type its content proved, `nosniff`, a sandboxing
CSP, and only if it still matches the SHA-256 recorded when it was uploaded."""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse, HttpResponse

from lvze.duties.services import EvidenceCorrupt, blob_read
from lvze.lib import filetypes


def file_response(*, sha256: str, name: str, obj: Any = None, organization: Any = None) -> HttpResponse:
    try:
        data = blob_read(sha256, name=name, obj=obj, organization=organization)
    except EvidenceCorrupt as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    try:
        kind = filetypes.detect(data)
    except filetypes.FileRefused:
        kind = None
    content_type = filetypes.MIME_TYPES.get(kind, "application/octet-stream")
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
