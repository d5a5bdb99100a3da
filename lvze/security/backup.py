"""`lvze backup` and `lvze restore`: one archive holding a consistent copy of the database and the
uploaded files, with a manifest of checksums sealed under the audit key.

Consistency: the database is copied online as one snapshot (SQLite's backup API; `pg_dump`, which
reads one MVCC snapshot), and the files are copied after it. Files are content-addressed and written
before the rows that name them and never deleted, so every file the snapshot refers to is present.

The archive (a gzipped tar, written under a temporary name and renamed when complete):
  manifest.json   format, version, engine, migrations, audit head, every member's size and SHA-256,
                  and a seal (HMAC-SHA256 under the audit key) over all of it
  database.sqlite3 | database.pgdump
  files/...       the upload directory (evidence)

A restore verifies the whole archive before writing anything, writes only into an empty database,
then migrates, records the restore in the audit chain and verifies the chain.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "lvze-backup"
VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A refusal, with a message for the operator (Chinese)."""


@dataclass
class RestoreResult:
    events: int
    files: int
    chain_intact: bool
    chain_message: str


# Helpers ----------------------------------------------------------------------------------------------


def engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def seal(manifest: dict) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "seal"}, ensure_ascii=False, sort_keys=True)
    return hmac.new(settings.AUDIT_KEY.encode(), body.encode(), hashlib.sha256).hexdigest()


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: on PATH, else from the newest PostgreSQL server installation."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        raise BackupError(f"找不到 {name}，请安装 PostgreSQL 客户端程序")
    return str(candidates[-1])


def pg_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["-d", db["NAME"]]
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def applied_migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def audit_head() -> dict:
    from lvze.audit.models import AuditHead

    head = AuditHead.objects.filter(pk=1).first()
    return {"seq": head.seq, "hash": head.hash} if head else {"seq": 0, "hash": ""}


def upload_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith("."):  # not the temporary ".…part" files
            found.append(("files/" + path.relative_to(root).as_posix(), path))
    return found


# Backup -----------------------------------------------------------------------------------------------


def copy_database(workdir: Path) -> Path:
    if engine() == "sqlite":
        target = workdir / DB_MEMBER["sqlite"]
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=30)
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)  # one consistent snapshot, taken while others keep writing
        finally:
            copy.close()
            source.close()
        return target
    target = workdir / DB_MEMBER["postgresql"]
    args, env = pg_args()
    command = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", str(target), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_dump 失败：{done.stderr.strip()}")
    return target


def backup_create(out: Path, actor=None) -> dict:
    """Write the archive to `out` (atomically) and return its manifest."""
    from lvze.audit.services import audit_record

    out = Path(out)
    audit_record(actor=actor, action="system.backup", object_repr=out.name[:200], changes={"file": str(out)})
    # The head before the snapshot: the snapshot holds at least this much of the chain (writers may
    # append while it is taken), which the restore checks.
    head = audit_head()
    with tempfile.TemporaryDirectory(prefix="lvze-backup-") as tmp:
        workdir = Path(tmp)
        database = copy_database(workdir)
        members = {DB_MEMBER[engine()]: database, **dict(upload_files())}
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": engine(),
            "migrations": applied_migrations(),
            "audit_head": head,
            "members": {name: {"size": path.stat().st_size, "sha256": file_digest(path)} for name, path in members.items()},
        }
        manifest["seal"] = seal(manifest)
        partial = out.with_name(f".{out.name}.{os.getpid()}.part")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds personal data
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(body), int(timezone.now().timestamp()), 0o600
                archive.addfile(info, io.BytesIO(body))
                for name, path in members.items():
                    archive.add(path, arcname=name, recursive=False)
                archive.close()
                raw.flush()
                os.fsync(raw.fileno())
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# Verification -----------------------------------------------------------------------------------------


def safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and (name == MANIFEST or name in DB_MEMBER.values() or name.startswith("files/"))


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())
    except (KeyError, AttributeError, ValueError) as exc:
        raise BackupError("备份文件缺少有效的清单（manifest.json），不是 Lvze 备份或已损坏") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError("不是 Lvze 备份文件")
    if manifest.get("version") != VERSION:
        raise BackupError(f"不支持的备份格式版本：{manifest.get('version')}")
    if not hmac.compare_digest(str(manifest.get("seal", "")), seal(manifest)):
        raise BackupError("备份清单的签名不符：备份被改动过，或由使用不同审计密钥的部署生成（请设置相同的 LVZE_AUDIT_KEY）")
    return manifest


def backup_verify(path: Path) -> dict:
    """Check the whole archive — manifest seal, every member's presence, size and SHA-256, nothing
    extra, no unsafe names — without writing anything. Returns the manifest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = read_manifest(archive)
            expected = dict(manifest["members"])
            seen = set()
            for member in archive:
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or not safe_member_name(member.name):
                    raise BackupError(f"备份中含有不允许的条目：{member.name}")
                if member.name not in expected or member.name in seen:
                    raise BackupError(f"备份中含有清单之外的文件：{member.name}")
                digest, size = hashlib.sha256(), 0
                handle = archive.extractfile(member)
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                if size != expected[member.name]["size"] or digest.hexdigest() != expected[member.name]["sha256"]:
                    raise BackupError(f"备份中的 {member.name} 校验和不符，备份已损坏")
                seen.add(member.name)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"备份文件无法读取或不完整：{exc}") from exc
    missing = set(expected) - seen
    if missing:
        raise BackupError(f"备份不完整，缺少：{'、'.join(sorted(missing))}")
    return manifest


def check_migrations(manifest: dict) -> None:
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    newer = [m for m in manifest["migrations"] if m not in known]
    if newer:
        raise BackupError(f"备份来自更新的版本（含本程序没有的迁移：{'、'.join(newer[:5])}），请先升级程序")


# Restore ----------------------------------------------------------------------------------------------


def target_is_empty() -> bool:
    if engine() == "sqlite":
        name = Path(settings.DATABASES["default"]["NAME"])
        if not name.exists() or name.stat().st_size == 0:
            return True
        with sqlite3.connect(str(name)) as db:
            return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        return cursor.fetchone()[0] == 0


def media_is_empty() -> bool:
    root = Path(settings.MEDIA_ROOT)
    return not root.exists() or not any(root.iterdir())


def write_member(archive: tarfile.TarFile, name: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    with archive.extractfile(archive.getmember(name)) as source, open(partial, "wb") as out:
        shutil.copyfileobj(source, out, CHUNK)
        out.flush()
        os.fsync(out.fileno())
    partial.replace(target)


def restore(path: Path) -> RestoreResult:
    from django.core.management import call_command

    from lvze.audit.models import AuditEvent
    from lvze.audit.selectors import first_chain_break
    from lvze.audit.services import audit_record

    manifest = backup_verify(path)
    if manifest["engine"] != engine():
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(f"备份来自 {names[manifest['engine']]}，当前数据库是 {names[engine()]}，不能直接恢复")
    check_migrations(manifest)
    if not target_is_empty():
        raise BackupError("目标数据库不是空的：恢复只写入空数据库，请先新建一个空数据库（或移走现有的 SQLite 文件）")
    if not media_is_empty():
        raise BackupError(f"上传文件目录 {settings.MEDIA_ROOT} 不是空的，请先移走")
    connections.close_all()
    with tarfile.open(path, "r:gz") as archive:
        if engine() == "sqlite":
            name = Path(settings.DATABASES["default"]["NAME"])
            for journal in (name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm")):
                journal.unlink(missing_ok=True)  # an empty database's journal must not meet the restored file
            write_member(archive, DB_MEMBER["sqlite"], name)
        else:
            with tempfile.TemporaryDirectory(prefix="lvze-restore-") as tmp:
                dump = Path(tmp) / DB_MEMBER["postgresql"]
                write_member(archive, DB_MEMBER["postgresql"], dump)
                args, env = pg_args()
                command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args, str(dump)]
                done = subprocess.run(command, env=env, capture_output=True, text=True)
                if done.returncode != 0:
                    raise BackupError(f"pg_restore 失败（数据库未改动）：{done.stderr.strip()}")
        files = [name for name in manifest["members"] if name.startswith("files/")]
        root = Path(settings.MEDIA_ROOT)
        for name in files:
            write_member(archive, name, root / PurePosixPath(name).relative_to("files"))
    call_command("migrate", interactive=False, verbosity=0)
    head = manifest["audit_head"]
    if AuditEvent.objects.filter(seq__gte=head["seq"]).count() == 0 and head["seq"]:
        raise BackupError("恢复后的审计链短于备份清单所记录的链头")
    broken = first_chain_break()
    audit_record(
        actor=None,
        action="system.restore",
        object_repr=Path(path).name[:200],
        changes={"file": str(path), "created_at": manifest["created_at"], "audit_head": head["seq"], "files": len(files)},
    )
    message = "审计链完整" if broken is None else f"审计链在第 {broken.seq} 号事件处断开：{broken.reason}"
    return RestoreResult(events=AuditEvent.objects.count(), files=len(files), chain_intact=broken is None, chain_message=message)
