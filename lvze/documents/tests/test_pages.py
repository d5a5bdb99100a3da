"""The editor and its pages: who sees what, what each POST writes, and the htmx partials."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.documents.models import Draft, MaskSettings
from lvze.documents.tests.base import DocumentsTestCase, block_by_slot

READERS = ["party_admin", "leader", "supervisor", "city_admin"]
OUTSIDERS = ["secretary", "staff", "member", "xq_admin", "sysadmin", "secadmin", "auditor"]


class EditorPostMixin:
    def editor_data(self, draft, **changes):
        """What the editor form posts for the draft as it stands, with `changes` applied."""
        data = {
            "title": draft.title,
            "signoff": draft.signoff,
            "doc_date": draft.doc_date.isoformat(),
            "base_version": draft.version,
            "block": [b["id"] for b in draft.content],
        }
        for block in draft.content:
            if block["type"] == "table":
                data[f"table-{block['id']}"] = "\n".join(" | ".join(r) for r in [block["header"], *block["rows"]])
            else:
                data[f"text-{block['id']}"] = block["text"]
            if block["type"] == "heading":
                data[f"level-{block['id']}"] = block["level"]
        data.update(changes)
        return data


class ScopeTests(DocumentsTestCase):
    def setUp(self):
        self.draft = self.make_draft()

    def urls(self):
        d = self.draft.pk
        return [
            reverse("documents:draft-edit", args=[d]),
            reverse("documents:draft-diff", args=[d]) + "?a=1&b=1",
            reverse("documents:draft-docx", args=[d]),
            reverse("documents:draft-masked", args=[d]),
            reverse("documents:draft-masked-docx", args=[d]),
        ]

    def test_readers_of_the_unit_and_above_open_every_page(self):
        for username in READERS:
            self.login(username)
            for url in self.urls():
                self.assertEqual(self.client.get(url).status_code, 200, f"{username} {url}")

    def test_other_units_and_roles_get_404(self):
        for username in OUTSIDERS:
            self.login(username)
            for url in self.urls():
                self.assertEqual(self.client.get(url).status_code, 404, f"{username} {url}")
            list_status = 200 if username == "xq_admin" else 404  # xq_admin lists only its own unit's drafts
            self.assertEqual(self.client.get(reverse("documents:draft-list")).status_code, list_status, username)

    def test_only_the_units_own_party_admin_edits(self):
        self.login("party_admin")
        self.assertContains(self.client.get(reverse("documents:draft-edit", args=[self.draft.pk])), 'name="block"')
        d = self.draft.pk
        posts = [
            reverse("documents:draft-save", args=[d]),
            reverse("documents:version-restore", args=[d, 1]),
        ]
        for username in ["leader", "supervisor", "city_admin", "xq_admin", "sysadmin"]:
            self.login(username)
            page = self.client.get(reverse("documents:draft-edit", args=[d]))
            self.assertNotContains(page, 'name="block"', status_code=page.status_code)
            for url in posts:
                self.assertEqual(self.client.post(url, {"base_version": 1}).status_code, 404, f"{username} {url}")
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.version, 1)

    def test_wrong_methods_are_405(self):
        self.login("party_admin")
        d = self.draft.pk
        for url in [
            reverse("documents:draft-save", args=[d]),
            reverse("documents:version-restore", args=[d, 1]),
            reverse("documents:draft-create"),
        ]:
            self.assertEqual(self.client.get(url).status_code, 405, url)
        for url in self.urls() + [reverse("documents:draft-list")]:
            self.assertEqual(self.client.post(url).status_code, 405, url)
        self.assertEqual(self.client.delete(reverse("documents:mask-settings", args=["QJ"])).status_code, 405)

    def test_creating_for_another_unit_is_404(self):
        for username, code in [("party_admin", "XQ"), ("city_admin", "QJ"), ("leader", "QJ"), ("sysadmin", "QJ")]:
            self.login(username)
            response = self.client.post(reverse("documents:draft-create"), {"kind": "quality", "org": code})
            self.assertEqual(response.status_code, 404, username)
        self.assertEqual(Draft.objects.count(), 1)

    def test_draft_list_shows_drafts_in_scope_in_few_queries(self):
        for _ in range(3):
            self.make_draft()
        self.make_draft("xq_admin", "XQ")
        self.login("leader")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("documents:draft-list"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "示范区税务局党委人员信息核对情况", count=4)
        self.assertNotContains(response, "示范新区税务局党委人员信息核对情况")
        self.assertLess(len(queries), 12)


class QualityButtonTests(DocumentsTestCase):
    def test_quality_page_button_creates_a_draft_and_opens_it(self):
        self.login("party_admin")
        page = self.client.get(reverse("orgs:quality"))
        self.assertContains(page, "生成文档")
        self.assertContains(page, reverse("documents:draft-create"))
        response = self.client.post(reverse("documents:draft-create"), {"kind": "quality", "org": "QJ"})
        draft = Draft.objects.get()
        self.assertRedirects(response, reverse("documents:draft-edit", args=[draft.pk]))
        self.assertEqual((draft.kind, draft.unit.code, draft.created_by), ("quality", "QJ", self.users["party_admin"]))
        editor = self.client.get(response.url)
        self.assertContains(editor, "数据来源")
        self.assertContains(editor, 'href="/people/quality/?org=QJ"')
        self.assertContains(editor, f'href="/people/{self.p1.pk}/"')

    def test_sysadmin_sees_no_button(self):
        self.login("sysadmin")
        self.assertNotContains(self.client.get(reverse("orgs:quality")), "生成文档")


class EditorTests(EditorPostMixin, DocumentsTestCase):
    def setUp(self):
        self.draft = self.make_draft()
        self.login("party_admin")
        self.save_url = reverse("documents:draft-save", args=[self.draft.pk])

    def test_save_writes_a_new_version(self):
        basic = block_by_slot(self.draft, "basic.text")
        data = self.editor_data(self.draft, **{f"text-{basic['id']}": "改写后的段落。\r\n第二段。", "note": "初审"})
        response = self.client.post(self.save_url, data)
        self.assertRedirects(response, reverse("documents:draft-edit", args=[self.draft.pk]), fetch_redirect_response=False)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.version, 2)
        self.assertEqual(block_by_slot(self.draft, "basic.text")["text"], "改写后的段落。\n第二段。")
        version = self.draft.versions.get(number=2)
        self.assertEqual((version.note, version.saved_by), ("初审", self.users["party_admin"]))
        page = self.client.get(reverse("documents:draft-edit", args=[self.draft.pk]))
        self.assertContains(page, "已保存为第2版")
        self.assertContains(page, "已修改")

    def test_editor_page_reads_in_few_queries(self):
        for _ in range(5):
            self.client.post(self.save_url, self.editor_data(self.draft, op=f"down:{self.draft.content[0]['id']}"))
            self.draft.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("documents:draft-edit", args=[self.draft.pk]))
        self.assertContains(response, "第6版")
        self.assertLess(len(queries), 14)

    def test_move_delete_and_add_operations(self):
        ids = [b["id"] for b in self.draft.content]
        self.client.post(self.save_url, self.editor_data(self.draft, op=f"down:{ids[0]}"))
        self.draft.refresh_from_db()
        self.assertEqual([b["id"] for b in self.draft.content][:2], [ids[1], ids[0]])
        self.client.post(self.save_url, self.editor_data(self.draft, op=f"up:{ids[0]}"))
        self.draft.refresh_from_db()
        self.assertEqual([b["id"] for b in self.draft.content], ids)
        self.client.post(self.save_url, self.editor_data(self.draft, op=f"delete:{ids[1]}"))
        self.draft.refresh_from_db()
        self.assertNotIn(ids[1], [b["id"] for b in self.draft.content])
        self.client.post(self.save_url, self.editor_data(self.draft, op=f"add:{ids[0]}"))
        self.draft.refresh_from_db()
        added = self.draft.content[1]
        self.assertEqual((added["type"], added["text"], added["generated"]), ("paragraph", "", False))
        self.client.post(self.save_url, self.editor_data(self.draft, op=f"add-heading:{added['id']}"))
        self.draft.refresh_from_db()
        self.assertEqual((self.draft.content[2]["type"], self.draft.content[2]["level"]), ("heading", 2))
        notes = list(self.draft.versions.order_by("number").values_list("note", flat=True))
        self.assertEqual(notes, ["生成初稿", "下移", "上移", "删除", "添加段落", "添加标题"])

    def test_table_and_heading_edits(self):
        table = block_by_slot(self.draft, "issues.table")
        heading = block_by_slot(self.draft, "issues.heading")
        data = self.editor_data(
            self.draft,
            **{f"table-{table['id']}": "序号 | 问题\n1 | 甲\n2", f"level-{heading['id']}": "2"},
        )
        self.client.post(self.save_url, data)
        self.draft.refresh_from_db()
        table = block_by_slot(self.draft, "issues.table")
        self.assertEqual((table["header"], table["rows"]), (["序号", "问题"], [["1", "甲"], ["2", ""]]))
        self.assertEqual(block_by_slot(self.draft, "issues.heading")["level"], 2)

    def test_regenerate_button_saves_edits_first(self):
        basic = block_by_slot(self.draft, "basic.text")
        data = self.editor_data(self.draft, op="regenerate:issues", **{f"text-{basic['id']}": "我的文字"})
        self.client.post(self.save_url, data)
        self.draft.refresh_from_db()
        self.assertEqual(block_by_slot(self.draft, "basic.text")["text"], "我的文字")
        notes = list(self.draft.versions.order_by("number").values_list("note", flat=True))
        self.assertEqual(notes, ["生成初稿", "保存", "重新生成：发现的问题"])

    def test_htmx_save_returns_the_form_and_the_versions_out_of_band(self):
        basic = block_by_slot(self.draft, "basic.text")
        data = self.editor_data(self.draft, **{f"text-{basic['id']}": "经 htmx 保存"})
        response = self.client.post(self.save_url, data, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<form id="editor-form"')
        self.assertContains(response, 'id="versions" hx-swap-oob="true"')
        self.assertContains(response, "已保存为第2版")
        self.assertNotContains(response, "<html")

    def test_htmx_error_keeps_the_users_form(self):
        data = self.editor_data(self.draft, base_version=0)
        response = self.client.post(self.save_url, data, headers={"HX-Request": "true"})
        self.assertEqual(response["HX-Retarget"], "#editor-messages")
        self.assertContains(response, "已被他人保存为第1版")
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.version, 1)

    def test_posting_blocks_that_are_not_the_drafts_is_refused(self):
        data = self.editor_data(self.draft, block=["bnotmine"])
        response = self.client.post(self.save_url, data, follow=True)
        self.assertContains(response, "页面已过期")
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.version, 1)

    def test_restore_and_diff_pages(self):
        basic = block_by_slot(self.draft, "basic.text")
        edited = basic["text"].replace("对人员信息逐项核对", "对人员信息逐项核对并与组织部门比对")
        self.client.post(self.save_url, self.editor_data(self.draft, **{f"text-{basic['id']}": edited}))
        diff = self.client.get(reverse("documents:draft-diff", args=[self.draft.pk]), {"a": 1, "b": 2})
        self.assertContains(diff, "<ins>并与组织部门比对</ins>")
        self.assertContains(diff, '<tr class="replace">', count=1)
        self.assertContains(diff, "相同的")
        response = self.client.post(reverse("documents:version-restore", args=[self.draft.pk, 1]))
        self.assertRedirects(response, reverse("documents:draft-edit", args=[self.draft.pk]))
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.version, 3)
        self.assertEqual(self.draft.content, self.draft.versions.get(number=1).content)
        same = self.client.get(reverse("documents:draft-diff", args=[self.draft.pk]), {"a": 1, "b": 3})
        self.assertContains(same, "两个版本内容相同")
        self.assertEqual(self.client.get(reverse("documents:draft-diff", args=[self.draft.pk]), {"a": 9}).status_code, 404)


class ExportTests(DocumentsTestCase):
    def setUp(self):
        self.draft = self.make_draft()

    def test_docx_download_is_audited(self):
        self.login("leader")
        response = self.client.get(reverse("documents:draft-docx", args=[self.draft.pk]))
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        self.assertIn("filename*=utf-8''", response["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"PK"))
        event = AuditEvent.objects.get(action="draft.export")
        self.assertEqual((event.changes["format"], event.actor), ("docx", self.users["leader"]))

    def test_masked_page_lists_replacements_before_download(self):
        self.login("supervisor")
        page = self.client.get(reverse("documents:draft-masked", args=[self.draft.pk]))
        self.assertContains(page, "替换清单")
        self.assertContains(page, "<td>张一</td><td>*</td>", html=False)
        self.assertContains(page, "<td>第一党支部</td><td>*党支部</td>", html=False)
        self.assertContains(page, "＊党委人员信息核对情况.docx")
        self.assertEqual(AuditEvent.objects.filter(action="draft.export").count(), 0)
        response = self.client.get(reverse("documents:draft-masked-docx", args=[self.draft.pk]))
        self.assertIn("%EF%BC%8A", response["Content-Disposition"])  # ＊, the masked file name
        self.assertNotIn("张一".encode(), response.content)
        event = AuditEvent.objects.get(action="draft.export")
        self.assertEqual(event.changes["format"], "masked")
        self.assertGreater(event.changes["replaced"], 10)


class MaskSettingsPageTests(DocumentsTestCase):
    def test_party_admin_saves_settings_and_they_apply(self):
        self.login("party_admin")
        url = reverse("documents:mask-settings", args=["QJ"])
        page = self.client.get(url)
        self.assertContains(page, "机关党委")  # the shipped generic words, editable
        data = {"generic_words": "党委\n党支部\n税务所", "protected_phrases": "", "places": "独贵塔拉", "terms": "知行先锋", "figures": ["amounts"]}
        self.assertRedirects(self.client.post(url, data), url)
        settings = MaskSettings.objects.get(unit=self.orgs["QJ"])
        self.assertEqual((settings.places, settings.terms, settings.figures), ("独贵塔拉", "知行先锋", ["amounts"]))
        self.assertEqual(AuditEvent.objects.filter(action="mask_settings.save").count(), 1)

    def test_others_cannot_open_it(self):
        for username in ["leader", "supervisor", "city_admin", "xq_admin", "sysadmin"]:
            self.login(username)
            url = reverse("documents:mask-settings", args=["QJ"])
            self.assertEqual(self.client.get(url).status_code, 404, username)
            self.assertEqual(self.client.post(url, {"places": "x"}).status_code, 404, username)
        self.assertFalse(MaskSettings.objects.exists())
