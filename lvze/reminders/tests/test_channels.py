import base64
import hashlib
import hmac
from datetime import date, datetime, timedelta
from urllib.parse import unquote_plus

from django.test import override_settings
from django.utils import timezone

from lvze.duties.models import Source, WorkItem
from lvze.reminders.channels import feishu_sign, webhook_signature
from lvze.reminders.engine import remind
from lvze.reminders.models import Channel, ChannelKind, Notification, ReminderSent, SendState
from lvze.reminders.tests.receivers import RobotServer, SmtpServer
from lvze.test import LvzeTestCase

DUE = date(2024, 5, 31)
NOW = timezone.make_aware(datetime(2024, 5, 30, 9))
SECRET = "SECtest123"


class ChannelTests(LvzeTestCase):
    def setUp(self):
        org = self.orgs["QJ01"]
        self.item = WorkItem.objects.create(
            key="t", source=Source.TASK, organization=org, unit=org.unit, org_path=org.path, title="报送半年总结",
            responsible_person=self.p2, due_date=DUE, warn_from=DUE - timedelta(days=3),
        )

    def robot(self, kind: str, url: str, secret: str = SECRET) -> Channel:
        return Channel.objects.create(kind=kind, unit=self.orgs["QJ"], target=url, secret=secret, name=kind)

    def test_email_through_a_real_smtp_server(self):
        Channel.objects.create(kind=ChannelKind.EMAIL, person=self.p2, target="li@example.test")
        with SmtpServer() as smtp, override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=smtp.port
        ):
            remind(now=NOW)
        [(rcpt, message)] = smtp.messages
        self.assertEqual(rcpt, ["li@example.test"])
        self.assertIn("李二同志", message["Subject"])
        self.assertIn("报送半年总结", message.get_body(("plain",)).get_content())
        self.assertIn("<li>报送半年总结", message.get_body(("html",)).get_content())

    def test_dingtalk_signature_verifies(self):
        with RobotServer() as server:
            self.robot(ChannelKind.DINGTALK, f"{server.url}/robot/send?access_token=abc")
            remind(now=NOW)
        [request] = server.requests
        timestamp, sign = request["query"]["timestamp"][0], request["query"]["sign"][0]
        expected = base64.b64encode(hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()).decode()
        self.assertEqual(unquote_plus(sign) if "%" in sign else sign, expected)
        self.assertEqual(request["json"]["msgtype"], "markdown")
        self.assertIn("报送半年总结", request["json"]["markdown"]["text"])

    def test_feishu_signature_verifies(self):
        with RobotServer() as server:
            self.robot(ChannelKind.FEISHU, f"{server.url}/open-apis/bot/v2/hook/x")
            remind(now=NOW)
        body = server.requests[0]["json"]
        key = f"{body['timestamp']}\n{SECRET}".encode()
        self.assertEqual(body["sign"], base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode())
        self.assertEqual(body["sign"], feishu_sign(SECRET, int(body["timestamp"])))

    def test_wecom_and_generic_webhook(self):
        with RobotServer() as server:
            self.robot(ChannelKind.WECOM, f"{server.url}/cgi-bin/webhook/send?key=k", secret="")
            self.robot(ChannelKind.WEBHOOK, f"{server.url}/hook")
            remind(now=NOW)
        by_path = {r["path"]: r for r in server.requests}
        self.assertIn("报送半年总结", by_path["/cgi-bin/webhook/send"]["json"]["markdown"]["content"])
        hook = by_path["/hook"]
        self.assertEqual(hook["headers"]["X-Lvze-Signature"], webhook_signature(SECRET, hook["raw"]))

    def test_failure_is_retried_with_backoff_then_disables_the_channel(self):
        with RobotServer(status=503) as server:
            channel = self.robot(ChannelKind.WEBHOOK, f"{server.url}/hook")
            remind(now=NOW)
            row = ReminderSent.objects.get()
            self.assertEqual((row.state, row.attempts), (SendState.FAILED, 1))
            self.assertIn("503", row.last_error)
            self.assertEqual(remind(now=NOW + timedelta(minutes=1)), [], "not before the backoff")
            now = NOW
            for _ in range(4):
                now = now + timedelta(hours=1)
                remind(now=now)
        channel.refresh_from_db()
        self.assertFalse(channel.active)
        self.assertEqual(len(server.requests), 5)
        self.assertEqual(ReminderSent.objects.get().state, SendState.DEAD)
        admin_note = Notification.objects.get(user=self.users["party_admin"])
        self.assertIn("已停用", admin_note.title)

    def test_success_after_failure_resets_the_count(self):
        with RobotServer(status=503) as server:
            channel = self.robot(ChannelKind.WEBHOOK, f"{server.url}/hook")
            remind(now=NOW)
            server.status = 200
            remind(now=NOW + timedelta(minutes=5))
        channel.refresh_from_db()
        self.assertEqual((channel.active, channel.consecutive_failures), (True, 0))
        self.assertEqual(ReminderSent.objects.get().state, SendState.SENT)
