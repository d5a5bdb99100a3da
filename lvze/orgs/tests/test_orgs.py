import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.orgs.models import Organization, OrgKind
from lvze.test import LvzeTestCase


class OrganizationPageTests(LvzeTestCase):
    def test_tree_lists_scope(self):
        self.login("party_admin")
        response = self.client.get(reverse("orgs:org-tree"))
        self.assertContains(response, "第一党支部")
        self.assertNotContains(response, "新区第一党支部")

    def test_create_child(self):
        self.login("party_admin")
        response = self.client.post(
            reverse("orgs:org-create") + "?parent=QJJG",
            {
                "code": "QJ03",
                "name": "第三党支部",
                "short_names": "",
                "kind": OrgKind.BRANCH,
                "sort_order": 3,
            },
        )
        org = Organization.objects.get(code="QJ03")
        self.assertRedirects(response, reverse("orgs:org-detail", args=["QJ03"]))
        self.assertEqual(org.path, "/SJ/QJ/QJJG/QJ03/")
        self.assertEqual(org.unit, self.orgs["QJ"])
        self.assertEqual(AuditEvent.objects.order_by("-seq").first().action, "organization.create")

    def test_duplicate_code_is_a_field_error(self):
        self.login("party_admin")
        response = self.client.post(
            reverse("orgs:org-create") + "?parent=QJJG",
            {"code": "QJ01", "name": "重复", "kind": OrgKind.BRANCH, "sort_order": 0},
        )
        self.assertContains(response, "代码“QJ01”已被使用")
        self.assertEqual(Organization.objects.filter(name="重复").count(), 0)

    def test_city_admin_cannot_create_under_a_district(self):
        self.login("city_admin")
        response = self.client.get(reverse("orgs:org-create") + "?parent=QJJG")
        self.assertEqual(response.status_code, 404)

    def test_move_rewrites_the_subtree(self):
        self.login("sysadmin")
        self.client.post(
            reverse("orgs:org-create") + "?parent=QJ01",
            {"code": "QJ01A", "name": "第一党小组", "kind": OrgKind.PARTY_GROUP, "sort_order": 0},
        )
        response = self.client.post(reverse("orgs:org-move", args=["QJ01"]), {"parent": self.orgs["XQ"].pk})
        self.assertEqual(response.status_code, 302)
        moved = Organization.objects.get(code="QJ01A")
        self.assertEqual(moved.path, "/SJ/XQ/QJ01/QJ01A/")
        self.assertEqual(moved.depth, 3)
        self.assertEqual(moved.unit, self.orgs["XQ"])

    def test_move_into_own_subtree_is_refused(self):
        self.login("party_admin")
        response = self.client.post(reverse("orgs:org-move", args=["QJJG"]), {"parent": self.orgs["QJ01"].pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Organization.objects.get(code="QJJG").parent, self.orgs["QJ"])

    def test_deactivate_with_members_is_refused_and_without_them_allowed(self):
        self.login("party_admin")
        self.client.post(reverse("orgs:org-set-active", args=["QJ01"]), {"active": "0"})
        self.assertTrue(Organization.objects.get(code="QJ01").active)
        self.client.post(reverse("orgs:org-set-active", args=["QJBGS"]), {"active": "0"})
        self.assertFalse(Organization.objects.get(code="QJBGS").active)

    def test_deactivate_needs_post(self):
        self.login("party_admin")
        self.assertEqual(self.client.get(reverse("orgs:org-set-active", args=["QJBGS"])).status_code, 405)

    def test_edit_records_changed_fields(self):
        self.login("party_admin")
        self.client.post(
            reverse("orgs:org-edit", args=["QJ02"]),
            {"name": "第二党支部", "short_names": "二支部、二支", "sort_order": 2},
        )
        org = Organization.objects.get(code="QJ02")
        self.assertEqual(org.short_names, ["二支部", "二支"])
        event = AuditEvent.objects.order_by("-seq").first()
        self.assertEqual(event.changes["short_names"], [[], ["二支部", "二支"]])


class OrgsCommandTests(LvzeTestCase):
    def test_orgs_list_json_contract(self):
        out = StringIO()
        call_command("orgs", "list", "--json", stdout=out)
        rows = json.loads(out.getvalue())
        qj = next(r for r in rows if r["code"] == "QJ")
        self.assertEqual(
            qj,
            {
                "code": "QJ",
                "name": "示范区税务局党委",
                "short_name": "区局",
                "kind": "committee",
                "parent": "SJ",
                "active": True,
            },
        )
        self.assertEqual(next(r for r in rows if r["code"] == "SJ")["parent"], None)

    def test_people_list_json(self):
        out = StringIO()
        call_command("people", "list", "--org", "QJ01", "--json", stdout=out)
        rows = json.loads(out.getvalue())
        self.assertEqual([r["name"] for r in rows], ["张一"])
        self.assertEqual(set(rows[0]), {"id", "name", "branch", "posts"})
