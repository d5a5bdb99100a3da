from django.urls import reverse

from lvze.orgs.models import Person
from lvze.orgs.selectors import organizations_for_user, people_for_user, writable_people_for_user
from lvze.test import LvzeTestCase


class ScopeTests(LvzeTestCase):
    def detail(self, person: Person) -> int:
        return self.client.get(reverse("orgs:person-detail", args=[person.pk])).status_code

    def edit(self, person: Person) -> int:
        return self.client.get(reverse("orgs:person-edit", args=[person.pk])).status_code

    def test_secretary_sees_own_branch_only(self):
        self.login("secretary")
        self.assertEqual(self.detail(self.p1), 200)
        self.assertEqual(self.detail(self.p2), 404)
        self.assertEqual(self.detail(self.p_xq), 404)

    def test_member_sees_only_their_own_record(self):
        self.login("member")
        self.assertEqual(self.detail(self.p1), 200)
        self.assertEqual(self.detail(self.p2), 404)
        self.assertEqual(list(people_for_user(self.users["member"])), [self.p1])

    def test_unit_admin_does_not_see_another_unit(self):
        self.login("xq_admin")
        self.assertEqual(self.detail(self.p_xq), 200)
        self.assertEqual(self.detail(self.p1), 404)

    def test_higher_level_reads_but_does_not_write_below_a_subordinate_committee(self):
        self.login("city_admin")
        self.assertEqual(self.detail(self.p1), 200)
        self.assertEqual(self.edit(self.p1), 404)
        self.assertFalse(writable_people_for_user(self.users["city_admin"]).exists())

    def test_party_admin_writes_own_unit(self):
        self.login("party_admin")
        self.assertEqual(self.edit(self.p1), 200)
        self.assertEqual(self.edit(self.p_xq), 404)

    def test_supervisor_reads_but_cannot_edit(self):
        self.login("supervisor")
        self.assertEqual(self.detail(self.p2), 200)
        self.assertEqual(self.edit(self.p2), 404)
        response = self.client.post(reverse("orgs:person-edit", args=[self.p2.pk]), {"name": "改名"})
        self.assertEqual(response.status_code, 404)
        self.p2.refresh_from_db()
        self.assertEqual(self.p2.name, "李二")

    def test_auditor_sees_no_people_and_no_orgs(self):
        self.login("auditor")
        self.assertEqual(self.detail(self.p1), 404)
        self.assertFalse(organizations_for_user(self.users["auditor"]).exists())
        self.assertEqual(self.client.get(reverse("orgs:org-detail", args=["QJ"])).status_code, 404)

    def test_person_list_is_scoped(self):
        self.login("secretary")
        response = self.client.get(reverse("orgs:person-list"))
        self.assertContains(response, "张一")
        self.assertNotContains(response, "李二")
        self.assertNotContains(response, "王新")

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(reverse("orgs:person-list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_scope_is_a_prefix_condition_not_an_id_list(self):
        sql = str(people_for_user(self.users["party_admin"]).query)
        self.assertIn("LIKE", sql.upper())
        self.assertNotIn(f"IN ({self.p1.pk}", sql)
