"""Tampering with the audit chain behind the platform's back, through raw SQL (on SQLite and on
PostgreSQL alike): every edit, insertion, deletion, reordering and re-sealing is caught by
`lvze audit verify`, which names the first bad event."""

import hashlib
import hmac
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lvze.audit.models import AuditEvent, AuditHead
from lvze.audit.services import audit_record, canonical_event
from lvze.orgs.services import person_update
from lvze.test import LvzeTestCase


def verify() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue()
    return 0, out.getvalue()


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("seq"))


class TamperTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for n in range(5):
            person_update(actor=cls.users["party_admin"], person=cls.p1, phone=f"1390000000{n}")

    def assert_caught(self, seq: int, words: str) -> None:
        code, output = verify()
        self.assertEqual(code, 1, output)
        self.assertIn(f"第 {seq} 号事件", output)
        self.assertIn(words, output)

    def test_intact(self):
        self.assertEqual(verify()[0], 0)
        head = AuditHead.objects.get()
        last = AuditEvent.objects.order_by("-seq").first()
        self.assertEqual((head.seq, head.hash), (last.seq, last.hash))

    def test_edited_content(self):
        target = events()[10]
        sql("UPDATE audit_auditevent SET changes = %s WHERE id = %s", ['{"phone": ["x", "y"]}', target.pk])
        self.assert_caught(target.seq, "被修改")

    def test_edited_time_actor_and_ip(self):
        target = events()[7]
        for column, value in [("at", target.at - timedelta(days=1)), ("actor_name", "someone"), ("ip", "10.9.9.9")]:
            with self.subTest(column=column):
                sql(f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s", [value, target.pk])
                self.assert_caught(target.seq, "被修改")
                sql(f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s", [getattr(target, column), target.pk])
                self.assertEqual(verify()[0], 0)

    def test_deleted_from_the_middle(self):
        target = events()[4]
        sql("DELETE FROM audit_auditevent WHERE id = %s", [target.pk])
        self.assert_caught(target.seq + 1, "序号不连续")

    def test_deleted_and_renumbered(self):
        """Closing the gap by renumbering leaves the next event linked to a hash that is gone."""
        target = events()[4]
        sql("DELETE FROM audit_auditevent WHERE id = %s", [target.pk])
        sql("UPDATE audit_auditevent SET seq = seq - 1 WHERE seq > %s", [target.seq])
        self.assert_caught(target.seq, "不衔接")

    def test_deleted_from_the_end(self):
        chain = events()
        sql("DELETE FROM audit_auditevent WHERE seq >= %s", [chain[-2].seq])
        self.assert_caught(chain[-2].seq, "末尾事件被删除")

    def test_everything_deleted(self):
        sql("DELETE FROM audit_auditevent", [])
        self.assert_caught(1, "末尾事件被删除")

    def test_head_set_back(self):
        chain = events()
        sql("DELETE FROM audit_auditevent WHERE seq = %s", [chain[-1].seq])
        sql("UPDATE audit_audithead SET seq = %s, hash = %s", [chain[-2].seq, chain[-2].hash])
        self.assert_caught(chain[-2].seq, "链头记录被修改")

    def test_head_removed(self):
        sql("DELETE FROM audit_audithead", [])
        self.assert_caught(events()[-1].seq, "链头记录缺失")

    def test_reordered(self):
        a, b = events()[2:4]
        sql("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [10**9, a.pk])
        sql("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [a.seq, b.pk])
        sql("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [b.seq, a.pk])
        self.assert_caught(a.seq, "不衔接")

    def insert_copy(self, source: AuditEvent, **overrides) -> None:
        values = {
            "seq": source.seq,
            "at": source.at,
            "actor_id": source.actor_id,
            "actor_name": source.actor_name,
            "action": source.action,
            "object_type": source.object_type,
            "object_id": source.object_id,
            "object_repr": source.object_repr,
            "organization_id": source.organization_id,
            "changes": '{"forged": true}',
            "ip": source.ip,
            "prev_hash": source.prev_hash,
            "hash": source.hash,
            **overrides,
        }
        columns = ", ".join(values)
        marks = ", ".join(["%s"] * len(values))
        sql(f"INSERT INTO audit_auditevent ({columns}) VALUES ({marks})", list(values.values()))

    def test_inserted_in_the_middle(self):
        chain = events()
        target = chain[6]
        sql("UPDATE audit_auditevent SET seq = seq + 1000000 WHERE seq >= %s", [target.seq])
        sql("UPDATE audit_auditevent SET seq = seq - 1000000 + 1 WHERE seq >= 1000000", [])
        self.insert_copy(target)
        self.assert_caught(target.seq, "被修改")

    def test_appended_at_the_end_with_an_unkeyed_hash(self):
        last = events()[-1]
        forged = AuditEvent(**{f.attname: getattr(last, f.attname) for f in AuditEvent._meta.concrete_fields})
        forged.seq, forged.prev_hash, forged.changes = last.seq + 1, last.hash, {"forged": True}
        digest = hashlib.sha256(canonical_event(forged).encode()).hexdigest()
        self.insert_copy(last, seq=forged.seq, prev_hash=last.hash, hash=digest)
        self.assert_caught(forged.seq, "被修改")

    def test_edit_resealed_without_the_key(self):
        """Someone who knows the format but not the audit key re-hashes the chain after an edit and
        moves the head: the first edited event already fails."""
        chain = events()
        target = chain[8]
        sql("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["篡改", target.pk])
        prev = chain[7].hash
        guessed_key = b"not-the-key"
        for event in AuditEvent.objects.filter(seq__gte=target.seq).order_by("seq"):
            event.prev_hash = prev
            event.hash = hmac.new(guessed_key, canonical_event(event).encode(), hashlib.sha256).hexdigest()
            sql("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [event.prev_hash, event.hash, event.pk])
            prev = event.hash
        sql("UPDATE audit_audithead SET hash = %s", [prev])
        code, output = verify()
        self.assertEqual(code, 1)
        self.assertIn("链头记录被修改", output)
        # With the head left alone, the walk stops at the edited event itself.
        sql("UPDATE audit_audithead SET hash = %s", [chain[-1].hash])
        self.assert_caught(target.seq, "被修改")

    def test_new_events_after_verification_keep_verifying(self):
        audit_record(actor=None, action="test.after", object_repr="之后")
        self.assertEqual(verify()[0], 0)
