import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models


def canonical(event) -> str:
    payload = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "organization": event.organization_id,
        "changes": event.changes,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def seal(text: str) -> str:
    return hmac.new(settings.AUDIT_KEY.encode(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def reseal(apps, schema_editor):
    """Seal a chain written with the earlier unkeyed SHA-256 under the audit key — only if the whole of
    it verifies under the old rule; a broken chain is left as it is, for `lvze audit verify` to report."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    prev, seq = "0" * 64, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        seq += 1
        text = canonical(event)
        if event.seq != seq or event.prev_hash != prev or hashlib.sha256(text.encode()).hexdigest() != event.hash:
            return
        prev = event.hash
    prev, done = "0" * 64, 0
    while batch := list(AuditEvent.objects.filter(seq__gt=done).order_by("seq")[:2000]):
        for event in batch:
            event.prev_hash = prev
            event.hash = seal(canonical(event))
            prev = event.hash
        AuditEvent.objects.bulk_update(batch, ["prev_hash", "hash"])
        done = batch[-1].seq
    if seq:
        AuditHead.objects.create(pk=1, seq=seq, hash=prev, mac=seal(f"head:{seq}:{prev}"))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
                ("mac", models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
    ]
