from datetime import date, timedelta

from django.urls import reverse

from lvze.duties.models import Source, WorkItem
from lvze.orgs.models import Post, WorkArea
from lvze.orgs.services import appointment_create
from lvze.reminders.models import (
    CalendarFeed,
    Channel,
    MonthlyNotice,
    Notification,
    WorkdayOverride,
)
from lvze.reminders.notices import issue_monthly_notices
from lvze.reminders.workdays import first_workday_of_month
from lvze.test import LvzeTestCase


class ReminderPageTests(LvzeTestCase):
    def item(self, key, due, org="QJ01", **fields):
        o = self.orgs[org]
        return WorkItem.objects.create(key=key, source=Source.TASK, organization=o, unit=o.unit, org_path=o.path, title=key,
                                       due_date=due, warn_from=due - timedelta(days=3), **fields)

    def test_notification_centre_and_unread_badge(self):
        user = self.users["member"]
        Notification.objects.create(user=user, title="测试提醒一")
        Notification.objects.create(user=self.users["leader"], title="别人的提醒")
        self.login("member")
        response = self.client.get(reverse("reminders:notification-list"))
        self.assertContains(response, "测试提醒一")
        self.assertNotContains(response, "别人的提醒")
        self.assertContains(response, '<span class="tag red">1</span>')
        self.client.post(reverse("reminders:notification-read"))
        self.assertFalse(Notification.objects.filter(user=user, read_at__isnull=True).exists())
        self.assertTrue(Notification.objects.filter(user=self.users["leader"], read_at__isnull=True).exists())

    def test_channel_add_validate_and_scope(self):
        self.login("party_admin")
        response = self.client.post(reverse("reminders:channel-list"), {"kind": "dingtalk", "target": "not a url", "scope": "unit"})
        self.assertContains(response, "Webhook 地址应以")
        self.client.post(reverse("reminders:channel-list"), {"kind": "dingtalk", "target": "http://127.0.0.1:9/robot", "scope": "unit", "name": "党建群"})
        channel = Channel.objects.get()
        self.assertEqual(channel.unit, self.orgs["QJ"])
        response = self.client.post(reverse("reminders:channel-action", args=[channel.pk, "test"]), follow=True)
        self.assertContains(response, "测试消息发送失败")
        self.login("xq_admin")
        self.assertEqual(self.client.post(reverse("reminders:channel-action", args=[channel.pk, "delete"])).status_code, 404)
        self.assertTrue(Channel.objects.filter(pk=channel.pk).exists())
        self.assertEqual(self.client.get(reverse("reminders:channel-action", args=[channel.pk, "test"])).status_code, 405)

    def test_member_adds_own_email(self):
        self.login("member")
        self.client.post(reverse("reminders:channel-list"), {"kind": "email", "target": "me@example.test", "scope": "person"})
        self.assertEqual(Channel.objects.get().person, self.p1)

    def test_calendar_feed_secret_and_revocable(self):
        self.item("我的事项", date(2024, 6, 30), responsible_person=self.p1)
        self.login("member")
        response = self.client.post(reverse("reminders:calendar"))
        url = response.context["feed_url"]
        path = url.split("testserver", 1)[1]
        self.client.logout()
        feed = self.client.get(path)
        self.assertEqual(feed["Content-Type"], "text/calendar; charset=utf-8")
        body = feed.content.decode()
        self.assertIn("BEGIN:VCALENDAR", body)
        self.assertIn("DTSTART;VALUE=DATE:20240630", body)
        self.assertIn("我的事项", body)
        self.assertEqual(len(CalendarFeed.objects.get().token_hash), 64)
        self.login("member")
        self.client.post(reverse("reminders:calendar"), {"action": "revoke"})
        self.client.logout()
        self.assertEqual(self.client.get(path).status_code, 404)
        self.assertEqual(self.client.get("/reminders/calendar/guess.ics").status_code, 404)

    def test_reverse_list_shows_leader_duties(self):
        leader = self.make_person("分管领导", "QJ01")
        appointment_create(actor=None, person=leader, organization=self.orgs["QJ"], post=Post.LEADERSHIP_MEMBER,
                           areas=list(WorkArea.objects.filter(unit=self.orgs["QJ"], name="意识形态")))
        self.item("意识形态专题研判", date.today() + timedelta(days=10), work_area="意识形态")
        self.item("别的板块", date.today() + timedelta(days=10), work_area="学习宣传")
        self.item("很远的事", date.today() + timedelta(days=90), work_area="意识形态")
        self.login("party_admin")
        response = self.client.get(reverse("reminders:reverse-list"), {"person": leader.pk})
        self.assertContains(response, "意识形态专题研判")
        self.assertNotContains(response, "别的板块")
        self.assertNotContains(response, "很远的事")
        self.login("xq_admin")
        response = self.client.get(reverse("reminders:reverse-list"), {"person": leader.pk})
        self.assertNotContains(response, "意识形态专题研判")

    def test_monthly_notice_on_first_working_day_once(self):
        WorkdayOverride.objects.create(date=date(2024, 10, 1), is_workday=False, note="国庆")
        WorkdayOverride.objects.create(date=date(2024, 10, 2), is_workday=False)
        self.assertEqual(first_workday_of_month(2024, 10), date(2024, 10, 3))
        self.assertEqual(first_workday_of_month(2024, 6), date(2024, 6, 3), "June 1st 2024 is a Saturday")
        self.item("十月主题党日", date(2024, 10, 31))
        self.item("九月未完成", date(2024, 9, 30))
        self.assertEqual(issue_monthly_notices(date(2024, 10, 2)), 0)
        self.assertEqual(issue_monthly_notices(date(2024, 10, 3)), 3, "QJ01, QJ02 and XQ01")
        self.assertEqual(issue_monthly_notices(date(2024, 10, 3)), 0, "issued once")
        self.assertEqual(MonthlyNotice.objects.count(), 3)
        note = Notification.objects.get(user=self.users["secretary"])
        self.assertIn("本月到期1项，上月未完成1项", note.title)
        self.login("secretary")
        response = self.client.get(note.url)
        self.assertContains(response, "十月主题党日")
        self.assertContains(response, "九月未完成")
        self.assertEqual(self.client.get(reverse("reminders:notice", args=["QJ02", "2024-10"])).status_code, 404)


class PolicyPageTests(LvzeTestCase):
    def test_unit_policy_and_item_override(self):
        from lvze.reminders.models import ReminderPolicy

        self.login("party_admin")
        response = self.client.post(reverse("reminders:policy"), {"before_days": "10, 2", "overdue_digest": "on", "escalate_after_days": 5})
        self.assertEqual(response.status_code, 302)
        policy = ReminderPolicy.objects.get(unit=self.orgs["QJ"])
        self.assertEqual((policy.before_days, policy.escalate_after_days), ([10, 2], 5))
        response = self.client.post(reverse("reminders:policy"), {"before_days": "x", "escalate_after_days": 5})
        self.assertContains(response, "用逗号分隔的天数")
        o = self.orgs["QJ01"]
        item = WorkItem.objects.create(key="k", source=Source.TASK, organization=o, unit=o.unit, org_path=o.path, title="事项",
                                       due_date=date(2024, 6, 30), warn_from=date(2024, 6, 27))
        self.client.post(reverse("reminders:policy") + f"?item={item.pk}", {"before_days": "1", "escalate_after_days": 3})
        self.assertEqual(ReminderPolicy.objects.get(item=item).before_days, [1])
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("reminders:policy") + f"?item={item.pk}").status_code, 404)
        self.assertEqual(self.client.get(reverse("reminders:policy")).status_code, 404)
