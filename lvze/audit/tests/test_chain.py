from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.audit.selectors import first_chain_break
from lvze.orgs.services import person_update
from lvze.test import PASSWORD, LvzeTestCase


def verify() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue()
    return 0, out.getvalue()


class AuditChainTests(LvzeTestCase):
    def test_intact_chain_verifies_after_edits(self):
        person_update(actor=self.users["party_admin"], person=self.p1, phone="13900000000")
        code, output = verify()
        self.assertEqual(code, 0)
        self.assertIn(f"共 {AuditEvent.objects.count()} 个事件", output)

    def test_every_event_links_to_the_previous(self):
        events = list(AuditEvent.objects.order_by("seq"))
        self.assertEqual([e.seq for e in events], list(range(1, len(events) + 1)))
        for before, after in zip(events, events[1:], strict=False):
            self.assertEqual(after.prev_hash, before.hash)

    def test_update_records_before_and_after(self):
        person_update(actor=self.users["party_admin"], person=self.p1, position="股长")
        event = AuditEvent.objects.order_by("-seq").first()
        self.assertEqual(event.action, "person.update")
        self.assertEqual(event.changes, {"position": ["", "股长"]})
        self.assertEqual(event.actor_id, self.users["party_admin"].pk)
        self.assertEqual(event.organization_id, self.orgs["QJ01"].pk)

    def tamper(self, sql: str, params: list) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def test_edited_event_is_caught(self):
        target = AuditEvent.objects.order_by("seq")[5]
        self.tamper("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["篡改", target.pk])
        code, output = verify()
        self.assertEqual(code, 1)
        self.assertIn(f"第 {target.seq} 号事件", output)
        self.assertIn("被修改", output)

    def test_deleted_event_is_caught(self):
        target = AuditEvent.objects.order_by("seq")[3]
        self.tamper("DELETE FROM audit_auditevent WHERE id = %s", [target.pk])
        code, output = verify()
        self.assertEqual(code, 1)
        self.assertIn("序号不连续", output)

    def test_swapped_events_are_caught(self):
        a, b = AuditEvent.objects.order_by("seq")[2:4]
        self.tamper("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [10**9, a.pk])
        self.tamper("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [a.seq, b.pk])
        self.tamper("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [b.seq, a.pk])
        broken = first_chain_break()
        self.assertIsNotNone(broken)
        self.assertEqual(broken.seq, a.seq)

    def test_login_and_failed_login_are_events(self):
        self.client.post(reverse("accounts:login"), {"username": "leader", "password": "wrong"})
        failed = AuditEvent.objects.order_by("-seq").first()
        self.assertEqual((failed.action, failed.actor_name), ("auth.login_failed", "leader"))
        self.client.post(
            reverse("accounts:login"), {"username": "leader", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
        )
        ok = AuditEvent.objects.order_by("-seq").first()
        self.assertEqual((ok.action, ok.actor_id, ok.ip), ("auth.login", self.users["leader"].pk, "10.1.2.3"))
        self.assertEqual(verify()[0], 0)


class AuditPageTests(LvzeTestCase):
    def test_auditor_sees_events(self):
        self.login("auditor")
        response = self.client.get(reverse("audit:event-list"), {"action": "person."})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "person.create")
        self.assertNotContains(response, "role.grant")

    def test_business_roles_and_other_admins_get_404(self):
        for username in ["party_admin", "sysadmin", "secadmin", "leader", "member"]:
            self.login(username)
            self.assertEqual(self.client.get(reverse("audit:event-list")).status_code, 404, username)

    def test_post_is_not_allowed(self):
        self.login("auditor")
        self.assertEqual(self.client.post(reverse("audit:event-list")).status_code, 405)
