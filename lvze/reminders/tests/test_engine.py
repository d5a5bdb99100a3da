import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from lvze.duties.models import Source, Status, WorkItem
from lvze.orgs.models import Post
from lvze.orgs.services import appointment_create
from lvze.reminders.engine import remind
from lvze.reminders.models import Channel, Notification, ReminderPolicy, ReminderSent, SendState
from lvze.test import LvzeTestCase, LvzeTransactionTestCase

DUE = date(2024, 5, 31)


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def sent_items(digests) -> list[tuple]:
    return sorted((d.recipient.name, d.channel_key, e["id"], e["kind"], e["offset"]) for d in digests for e in d.entries)


class EngineTests(LvzeTestCase):
    def item(self, key: str, due: date = DUE, org: str = "QJ01", person=None, **fields) -> WorkItem:
        o = self.orgs[org]
        return WorkItem.objects.create(
            key=key, source=Source.TASK, organization=o, unit=o.unit, org_path=o.path, title=key,
            responsible_person=person if person is not None else self.p1, due_date=due, warn_from=due - timedelta(days=3), **fields,
        )

    def test_windows_send_each_offset_once(self):
        item = self.item("task")
        self.assertEqual(remind(now=at(DUE - timedelta(days=8))), [])
        first = remind(now=at(DUE - timedelta(days=7)))
        self.assertEqual(sent_items(first), [("张一", "inapp", item.pk, "before_due", 7)])
        self.assertEqual(remind(now=at(DUE - timedelta(days=7), 15)), [], "a second run sends nothing")
        self.assertEqual(remind(now=at(DUE - timedelta(days=5))), [], "between offsets nothing new")
        self.assertEqual(sent_items(remind(now=at(DUE - timedelta(days=3))))[0][-1], 3)
        self.assertEqual(sent_items(remind(now=at(DUE)))[0][-1], 1, "due today: the 1-day reminder")
        self.assertEqual(Notification.objects.filter(user=self.users["member"]).count(), 3)

    def test_outage_sends_only_the_latest_offset(self):
        item = self.item("task")
        digests = remind(now=at(DUE - timedelta(days=2)))
        self.assertEqual(sent_items(digests), [("张一", "inapp", item.pk, "before_due", 3)])
        self.assertEqual(ReminderSent.objects.count(), 1)

    def test_overdue_digest_once_a_day_and_until_done(self):
        a = self.item("a", due=DUE - timedelta(days=2))
        b = self.item("b", due=DUE - timedelta(days=1))
        digests = remind(now=at(DUE))
        self.assertEqual(len(digests), 1, "one message per person per channel")
        self.assertEqual({e["id"] for e in digests[0].entries}, {a.pk, b.pk})
        self.assertEqual(remind(now=at(DUE, 18)), [])
        WorkItem.objects.filter(pk__in=[a.pk, b.pk]).update(status=Status.DONE, done_on=DUE)
        self.assertEqual(remind(now=at(DUE + timedelta(days=1))), [])

    def test_escalation_to_the_leader_and_the_discipline_group(self):
        leader = self.make_person("分管领导", "QJ01")
        inspector = self.make_person("纪检组长", "QJ01")
        from lvze.orgs.models import WorkArea

        appointment_create(actor=None, person=leader, organization=self.orgs["QJ"], post=Post.LEADERSHIP_MEMBER,
                           areas=list(WorkArea.objects.filter(unit=self.orgs["QJ"], name="党建质量")))
        appointment_create(actor=None, person=inspector, organization=self.orgs["QJJJ"], post=Post.DISCIPLINE_HEAD)
        for person, user in [(leader, self.users["leader"]), (inspector, self.users["supervisor"])]:
            user.person = person
            user.save()
        item = self.item("late", due=DUE - timedelta(days=10), work_area="党建质量")
        digests = remind(now=at(DUE))
        escalated = {d.recipient.name for d in digests if any(e["kind"] == "escalation" for e in d.entries)}
        self.assertEqual(escalated, {"分管领导", "纪检组长"})
        self.assertEqual(remind(now=at(DUE + timedelta(days=1))).__len__(), 1, "escalation is sent once; the digest daily")
        self.assertTrue(item.pk)

    def test_a_claim_abandoned_by_a_killed_engine_is_sent_by_a_later_run(self):
        self.item("task")
        self.assertEqual(remind(now=at(DUE - timedelta(days=7))).__len__(), 1)
        row = ReminderSent.objects.get()
        # As if the engine had died between its claim and the send: claimed, never sent.
        ReminderSent.objects.filter(pk=row.pk).update(state=SendState.CLAIMED, run_id="dead", sent_at=None,
                                                      claimed_at=at(DUE - timedelta(days=7)))
        soon = at(DUE - timedelta(days=7)) + timedelta(minutes=10)
        self.assertEqual(remind(now=soon), [], "a recent claim may still be sending: left alone")
        later = at(DUE - timedelta(days=7)) + timedelta(hours=1)
        self.assertEqual(len(remind(now=later)), 1, "an abandoned claim is sent")
        self.assertEqual(ReminderSent.objects.get().state, SendState.SENT)

    def test_a_retry_on_a_deleted_or_disabled_channel_gives_up_with_the_reason(self):
        item = self.item("task")
        for n, reason in enumerate(["已删除", "已停用"]):
            channel = Channel.objects.create(kind="webhook", unit=self.orgs["QJ"], name="机器人", target="http://127.0.0.1:9/")
            row = ReminderSent.objects.create(
                key=f"retry-{n}", item=item, recipient=self.p1, channel_key=f"channel:{channel.pk}", kind="before_due",
                offset=7, day=DUE - timedelta(days=7), state=SendState.FAILED, attempts=1,
                next_attempt_at=at(DUE - timedelta(days=7)),
            )
            if reason == "已删除":
                channel.delete()
            else:
                Channel.objects.filter(pk=channel.pk).update(active=False)
            remind(now=at(DUE - timedelta(days=6)))
            row.refresh_from_db()
            self.assertEqual(row.state, SendState.DEAD)
            self.assertIn(reason, row.last_error)

    def test_policy_per_item(self):
        item = self.item("task")
        ReminderPolicy.objects.create(item=item, before_days=[10])
        self.assertEqual(sent_items(remind(now=at(DUE - timedelta(days=9))))[0][-1], 10)

    def test_dry_run_sends_nothing(self):
        self.item("task")
        digests = remind(now=at(DUE - timedelta(days=1)), dry_run=True)
        self.assertEqual(len(digests), 1)
        self.assertFalse(ReminderSent.objects.exists())
        self.assertFalse(Notification.objects.exists())

    def test_item_without_account_gets_no_inapp_and_is_not_recorded(self):
        self.item("task", person=self.p2)
        self.assertEqual(remind(now=at(DUE)), [])


class ConcurrentEngineTests(LvzeTransactionTestCase):
    """Two engines as separate processes with their own connections never send the same reminder twice."""

    def test_two_processes_at_once(self):
        for n in range(40):
            org = self.orgs["QJ01" if n % 2 else "QJ02"]
            WorkItem.objects.create(
                key=f"c{n}", source=Source.TASK, organization=org, unit=org.unit, org_path=org.path, title=f"事项{n}",
                responsible_person=self.p1, due_date=DUE - timedelta(days=n % 3), warn_from=DUE,
            )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lvze.settings"}
        if connection.vendor == "sqlite":
            env["LVZE_SQLITE_NAME"] = str(connection.settings_dict["NAME"])
        else:
            s = connection.settings_dict
            env["DATABASE_URL"] = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        command = [sys.executable, "-m", "lvze", "remind", "--now", "2024-05-31T09:00", "--json"]
        procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        outputs = [p.communicate(timeout=120) for p in procs]
        for proc, (_out, err) in zip(procs, outputs, strict=True):
            self.assertEqual(proc.returncode, 0, err.decode())
        sent = [(s["channel"], e["id"], e["kind"], e["offset"]) for out, _ in outputs for s in json.loads(out)["sends"] for e in s["items"]]
        self.assertEqual(len(sent), len(set(sent)), "nothing sent twice")
        self.assertEqual(len(sent), 40)
        self.assertEqual(ReminderSent.objects.exclude(state=SendState.SENT).count(), 0)
