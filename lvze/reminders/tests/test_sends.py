from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from lvze.audit.models import AuditEvent
from lvze.duties.models import Source, WorkItem
from lvze.reminders.engine import remind
from lvze.reminders.models import Channel, ChannelKind, ReminderSent, SendKind, SendState
from lvze.reminders.services import channel_enable
from lvze.reminders.tests.receivers import RobotServer
from lvze.test import LvzeTestCase

DUE = date(2024, 5, 31)
NOW = timezone.make_aware(datetime(2024, 5, 30, 9))
PAGE = reverse("reminders:send-list")


class SendListTests(LvzeTestCase):
    def setUp(self):
        self.item = self.make_item("报送半年总结", "QJ02", self.p2)

    def make_item(self, title, org, person):
        o = self.orgs[org]
        return WorkItem.objects.create(
            key=title, source=Source.TASK, organization=o, unit=o.unit, org_path=o.path, title=title,
            responsible_person=person, due_date=DUE, warn_from=DUE - timedelta(days=3),
        )

    def send(self, recipient, state=SendState.FAILED, channel="inapp", day=DUE, **fields):
        return ReminderSent.objects.create(
            key=f"k{ReminderSent.objects.count()}", item=self.item, recipient=recipient, channel_key=channel,
            kind=SendKind.BEFORE_DUE, day=day, state=state, attempts=2, last_error="连接失败：测试", **fields,
        )

    def shown(self, query=None) -> list[int]:
        response = self.client.get(PAGE, query or {})
        self.assertEqual(response.status_code, 200)
        return sorted(row.send.pk for row in response.context["rows"])

    def resend(self, send):
        return self.client.post(reverse("reminders:send-resend", args=[send.pk]), follow=True)

    def test_abandoned_send_is_resent_and_the_next_engine_run_delivers_it(self):
        with RobotServer(status=404) as server:
            channel = Channel.objects.create(kind=ChannelKind.WEBHOOK, unit=self.orgs["QJ"], target=f"{server.url}/hook", name="区局党建群")
            remind(now=NOW)
            row = ReminderSent.objects.get()
            self.assertEqual((row.state, row.attempts), (SendState.DEAD, 1), "a 4xx is permanent")
            self.login("party_admin")
            page = self.client.get(PAGE)
            for text in ("李二", "区局党建群", "HTTP 404", "报送半年总结", reverse("duties:item-detail", args=[self.item.pk]), "重新发送", "data-confirm"):
                self.assertContains(page, text)
            refused = self.resend(row)
            self.assertContains(refused, "该渠道已停用")
            self.assertEqual(ReminderSent.objects.get().state, SendState.DEAD)
            channel_enable(actor=None, channel=channel)
            self.assertContains(self.resend(row), "已重新排队")
            row.refresh_from_db()
            self.assertEqual((row.state, row.attempts, row.next_attempt_at), (SendState.PENDING, 1, None))
            event = AuditEvent.objects.get(action="reminder.resend")
            self.assertEqual((event.actor, event.object_id, event.organization), (self.users["party_admin"], str(row.pk), self.orgs["QJ"]))
            self.assertEqual(event.changes["state"], ["dead", "pending"])
            server.status = 200
            remind(now=NOW + timedelta(hours=1))
        row.refresh_from_db()
        self.assertEqual(row.state, SendState.SENT)
        self.assertEqual(len(server.requests), 2)
        self.assertIn("报送半年总结", server.requests[-1]["json"]["text"])
        self.assertNotContains(self.client.get(PAGE), "报送半年总结", msg_prefix="a sent reminder leaves the default list")

    def test_scope_of_reading_and_resending(self):
        ours, theirs = self.send(self.p2), self.send(self.p_xq, state=SendState.DEAD)
        self.login("party_admin")
        self.assertEqual(self.shown(), [ours.pk])
        self.assertContains(self.client.get(reverse("home")), "提醒发送情况")
        self.assertEqual(self.client.post(reverse("reminders:send-resend", args=[theirs.pk])).status_code, 404)
        self.login("xq_admin")
        self.assertEqual(self.shown(), [theirs.pk])
        self.assertEqual(self.client.post(reverse("reminders:send-resend", args=[ours.pk])).status_code, 404)
        self.login("city_admin")
        self.assertEqual(self.shown(), [ours.pk, theirs.pk], "a higher level reads below")
        self.assertNotContains(self.client.get(PAGE), "/resend/")
        self.assertEqual(self.client.post(reverse("reminders:send-resend", args=[ours.pk])).status_code, 404, "but writes only its own unit")
        for username in ("secretary", "leader", "member", "sysadmin"):
            self.login(username)
            self.assertEqual(self.client.get(PAGE).status_code, 404, username)
            self.assertEqual(self.client.post(reverse("reminders:send-resend", args=[ours.pk])).status_code, 404, username)
        self.assertNotContains(self.client.get(reverse("home")), "提醒发送情况")
        self.assertEqual(set(ReminderSent.objects.values_list("state", flat=True)), {SendState.FAILED, SendState.DEAD})
        self.assertFalse(AuditEvent.objects.filter(action="reminder.resend").exists())

    def test_filters(self):
        now = timezone.now()
        failed = self.send(self.p2, day=DUE - timedelta(days=3))
        dead = self.send(self.p2, state=SendState.DEAD, channel="channel:999")
        stuck = self.send(self.p1, state=SendState.CLAIMED, claimed_at=now - timedelta(hours=1))
        sending = self.send(self.p1, state=SendState.CLAIMED, claimed_at=now)
        sent = self.send(self.p1, state=SendState.SENT)
        self.login("party_admin")
        self.assertEqual(self.shown(), [failed.pk, dead.pk, stuck.pk], "by default: failed, abandoned and stuck")
        self.assertEqual(self.shown({"state": "sent"}), [sent.pk])
        self.assertEqual(self.shown({"state": "claimed"}), [stuck.pk, sending.pk])
        self.assertEqual(self.shown({"state": "all"}), [failed.pk, dead.pk, stuck.pk, sending.pk, sent.pk])
        self.assertEqual(self.shown({"channel": "channel:999"}), [dead.pk])
        self.assertContains(self.client.get(PAGE), "已删除的渠道")
        self.assertEqual(self.shown({"start": DUE.isoformat()}), [dead.pk, stuck.pk])
        self.assertEqual(self.shown({"end": (DUE - timedelta(days=1)).isoformat()}), [failed.pk])
        self.assertEqual(self.shown({"name": "张"}), [stuck.pk])
        self.assertEqual(self.shown({"start": "not-a-date", "name": "李"}), [failed.pk, dead.pk], "a malformed date is ignored")
        self.assertContains(self.client.get(PAGE, {"name": "无此人"}), "没有符合筛选条件的提醒记录")
        ReminderSent.objects.exclude(state=SendState.SENT).delete()
        self.assertContains(self.client.get(PAGE), "没有发送失败的提醒")

    def test_only_failed_or_abandoned_sends_can_be_resent(self):
        sent = self.send(self.p2, state=SendState.SENT)
        self.login("party_admin")
        self.assertEqual(self.client.post(reverse("reminders:send-resend", args=[sent.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("reminders:send-resend", args=[sent.pk])).status_code, 405)
