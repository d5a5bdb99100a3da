"""Every page a role can reach renders; navigation links only to pages that exist and that open."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvze.accounts.navigation import nav_for_user
from lvze.test import ROLE_USERS, LvzeTestCase


class PageTests(LvzeTestCase):
    def test_every_nav_link_opens_for_every_role(self):
        for username in ROLE_USERS:
            self.login(username)
            items = nav_for_user(self.users[username], "/")
            self.assertTrue(items, username)
            for item in items:
                response = self.client.get(item.url)
                self.assertEqual(response.status_code, 200, f"{username} {item.url}")
                self.assertContains(response, '<html lang="zh-Hans">')

    def test_role_specific_navigation(self):
        labels = {u: [i.label for i in nav_for_user(self.users[u], "/")] for u in ROLE_USERS}
        self.assertEqual(labels["auditor"], ["首页", "审计日志"])
        self.assertIn("账号与角色", labels["secadmin"])
        self.assertNotIn("人员", labels["secadmin"][:0])
        self.assertIn("花名册导入", labels["party_admin"])
        self.assertNotIn("花名册导入", labels["secretary"])
        self.assertNotIn("审计日志", labels["party_admin"])

    def test_detail_pages_render(self):
        self.login("party_admin")
        for url in [
            reverse("orgs:org-detail", args=["QJ"]),
            reverse("orgs:org-detail", args=["QJ01"]),
            reverse("orgs:person-detail", args=[self.p1.pk]),
            reverse("orgs:person-edit", args=[self.p1.pk]),
            reverse("orgs:person-create"),
            reverse("orgs:appointment-create", args=[self.p1.pk]),
            reverse("orgs:org-edit", args=["QJ01"]),
            reverse("orgs:org-move", args=["QJ01"]),
            reverse("orgs:org-create") + "?parent=QJ",
        ]:
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_person_list_filters_and_paginates(self):
        for i in range(35):
            self.make_person(f"分页{i:02d}", "QJ01")
        self.login("party_admin")
        response = self.client.get(reverse("orgs:person-list"), {"branch": "QJ01"})
        self.assertContains(response, "第 1 / 2 页，共 36 条")
        response = self.client.get(reverse("orgs:person-list"), {"q": "分页07"})
        self.assertContains(response, "分页07")
        self.assertNotContains(response, "分页08")

    def test_person_list_queries_do_not_grow_with_rows(self):
        self.login("party_admin")
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("orgs:person-list"))
        for i in range(25):
            self.make_person(f"多{i}", "QJ02")
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("orgs:person-list"))
        self.assertEqual(len(few), len(many))

    def test_demo_banner_only_with_demo_accounts(self):
        self.login("leader")
        self.assertNotContains(self.client.get(reverse("home")), "演示环境")
        self.users["staff"].is_demo = True
        self.users["staff"].save(update_fields=["is_demo"])
        self.assertContains(self.client.get(reverse("home")), "演示环境")

    def test_create_person_form(self):
        self.login("party_admin")
        response = self.client.post(
            reverse("orgs:person-create"),
            {
                "name": "新同志",
                "party_status": "probationary",
                "branch": self.orgs["QJ02"].pk,
                "active": "on",
            },
        )
        self.assertEqual(response.status_code, 302)
        from lvze.orgs.models import Membership, Person

        person = Person.objects.get(name="新同志")
        self.assertEqual(Membership.objects.get(person=person).branch.code, "QJ02")


class ErrorPageTests(LvzeTestCase):
    def test_not_found_is_chinese(self):
        self.login("secretary")
        response = self.client.get("/orgs/NOPE/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "不在您的权限范围内", status_code=404)
