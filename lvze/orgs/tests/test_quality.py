from django.urls import reverse

from lvze.orgs.models import DataCorrection, Post
from lvze.orgs.quality import quality_issues
from lvze.orgs.services import appointment_create
from lvze.test import LvzeTestCase


class QualityTests(LvzeTestCase):
    def codes(self, org="QJ"):
        return [(i.code, i.person.name if i.person else i.org.code) for i in quality_issues(self.orgs[org])]

    def test_missing_fields_and_branch_rules(self):
        codes = self.codes()
        self.assertIn(("missing_phone", "张一"), codes)
        self.assertIn(("missing_joined_party_on", "李二"), codes)
        self.assertIn(("no_secretary", "QJ01"), codes)
        self.assertIn(("too_few", "QJ02"), codes)
        self.assertNotIn(("no_secretary", "XQ01"), codes, "another unit's branch is not listed")

    def test_secretary_appointment_clears_the_issue(self):
        appointment_create(actor=None, person=self.p1, organization=self.orgs["QJ01"], post=Post.SECRETARY)
        self.assertNotIn(("no_secretary", "QJ01"), self.codes())

    def test_branch_of_seven_without_committee(self):
        for i in range(7):
            self.make_person(f"成员{i}", "QJ02")
        self.assertIn(("no_committee", "QJ02"), self.codes())
        self.assertNotIn(("too_few", "QJ02"), self.codes())

    def test_duplicates(self):
        self.make_person("张一", "QJ02", id_number="11010519491231002X")
        self.assertIn(("duplicate_id", "张一"), self.codes())

    def test_correction_from_the_page_is_recorded_and_counted(self):
        self.login("party_admin")
        response = self.client.get(reverse("orgs:quality"))
        self.assertContains(response, "缺少联系电话")
        data = {
            "name": "张一",
            "party_status": "full",
            "branch": self.orgs["QJ01"].pk,
            "id_number": self.p1.id_number,
            "phone": "13912345678",
            "active": "on",
        }
        response = self.client.post(
            reverse("orgs:person-edit", args=[self.p1.pk]) + "?issue=missing_phone", data
        )
        self.assertRedirects(response, reverse("orgs:quality"))
        correction = DataCorrection.objects.get(person=self.p1)
        self.assertEqual(correction.field, "phone")
        self.assertEqual(
            (correction.new_value, correction.unit.code, correction.issue),
            ("13912345678", "QJ", "missing_phone"),
        )
        response = self.client.get(reverse("orgs:quality"))
        self.assertContains(response, "已核对调整人员信息 <strong>1</strong> 项")

    def test_only_writers_open_the_page(self):
        for username in ["secretary", "supervisor", "leader", "member", "auditor"]:
            self.login(username)
            self.assertEqual(self.client.get(reverse("orgs:quality")).status_code, 404, username)

    def test_higher_level_checks_only_its_own_unit(self):
        self.login("city_admin")
        self.assertEqual(self.client.get(reverse("orgs:quality")).status_code, 200)
        self.assertEqual(self.client.get(reverse("orgs:quality"), {"org": "QJ"}).status_code, 404)
