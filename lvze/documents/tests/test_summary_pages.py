"""The 工作总结 pages: generating from the documents page, the unit's sentence templates, and the
existing editor, exports and masked download working on a summary draft."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.documents.models import Draft, SummaryTemplate
from lvze.documents.selectors import mask_registry_for
from lvze.documents.tests.base import DocumentsTestCase, docx_xml, paragraph_texts
from lvze.documents.tests.test_pages import EditorPostMixin
from lvze.lib.masking import docx_leaks
from lvze.records.models import ActivityType
from lvze.records.registry_services import activity_record, activity_types_install

CREATE = reverse("documents:summary-create")


def templates_url(code: str = "QJ") -> str:
    return reverse("documents:summary-templates", args=[code])


class SummaryCreatePageTests(DocumentsTestCase):
    def test_documents_page_offers_the_summary_with_unit_and_period(self):
        self.login("party_admin")
        page = self.client.get(reverse("documents:draft-list"))
        self.assertContains(page, "生成工作总结")
        self.assertContains(page, f'action="{CREATE}"')
        for value in ("2023H1", "2023H2", "2023"):
            self.assertContains(page, f'<option value="{value}"')
        # The generic form no longer offers the summary (it has no period).
        self.assertNotContains(page, '<option value="summary">')

    def test_get_shows_the_form(self):
        self.login("party_admin")
        page = self.client.get(CREATE)
        self.assertContains(page, "生成工作总结")
        self.assertContains(page, 'value="QJ"')

    def test_post_generates_the_draft_and_opens_the_editor(self):
        activity_types_install(actor=None, unit=self.orgs["QJ"])
        activity_record(actor=None, organization=self.orgs["QJ01"], held_on=date(2023, 5, 4), name="宣讲一",
                        activity_type=ActivityType.objects.get(unit=self.orgs["QJ"], name="宣讲"), people_covered=120,
                        work_area="学习宣传")
        user = self.login("party_admin")
        response = self.client.post(CREATE, {"org": "QJ", "period": "2023H1"})
        draft = Draft.objects.get()
        self.assertRedirects(response, reverse("documents:draft-edit", args=[draft.pk]))
        self.assertEqual((draft.kind, draft.period, draft.unit.code, draft.version), ("summary", "2023H1", "QJ", 1))
        self.assertEqual(draft.created_by, user)
        self.assertEqual(draft.versions.count(), 1)
        self.assertIn("累计开展1次宣传宣讲活动，覆盖群众120人", "".join(b["text"] for b in draft.content))
        self.assertTrue(AuditEvent.objects.filter(action="draft.create", changes__kind="summary").exists())
        editor = self.client.get(response["Location"])
        self.assertContains(editor, "数据来源")
        self.assertContains(editor, "接排")
        self.assertContains(editor, 'value="regenerate:work"')

    def test_a_bad_period_is_refused_without_a_draft(self):
        self.login("party_admin")
        for period in ("2023Q2", "2023-05", "坏"):
            response = self.client.post(CREATE, {"org": "QJ", "period": period})
            self.assertEqual(response.status_code, 400, period)
        self.assertFalse(Draft.objects.exists())

    def test_readers_get_403_and_other_units_404(self):
        for username in ("leader", "supervisor", "city_admin"):
            self.login(username)
            self.assertEqual(self.client.post(CREATE, {"org": "QJ", "period": "2023H1"}).status_code, 403, username)
        self.login("xq_admin")
        self.assertEqual(self.client.post(CREATE, {"org": "QJ", "period": "2023H1"}).status_code, 404)
        self.assertEqual(self.client.post(CREATE, {"org": "NOPE", "period": "2023H1"}).status_code, 404)
        for username in ("secretary", "member", "sysadmin", "auditor"):
            self.login(username)
            self.assertEqual(self.client.get(CREATE).status_code, 404, username)
            self.assertEqual(self.client.post(CREATE, {"org": "QJ", "period": "2023H1"}).status_code, 404, username)
        self.assertFalse(Draft.objects.exists())

    def test_wrong_methods_are_405(self):
        self.login("party_admin")
        self.assertEqual(self.client.put(CREATE).status_code, 405)
        self.assertEqual(self.client.delete(templates_url()).status_code, 405)

    def test_the_editor_exports_and_masks_a_summary(self):
        self.login("party_admin")
        self.client.post(CREATE, {"org": "QJ", "period": "2023H1"})
        draft = Draft.objects.get()
        docx = self.client.get(reverse("documents:draft-docx", args=[draft.pk]))
        self.assertEqual(docx.status_code, 200)
        masked = self.client.get(reverse("documents:draft-masked-docx", args=[draft.pk]))
        self.assertEqual(masked.status_code, 200)
        self.assertEqual(docx_leaks(masked.content, mask_registry_for(self.orgs["QJ"])), {})
        text = "".join(paragraph_texts(docx_xml(masked.content)))
        self.assertIn("2023年上半年，*党委坚持", text)
        self.assertTrue(AuditEvent.objects.filter(action="draft.export", changes__format="masked").exists())
        page = self.client.get(reverse("documents:draft-masked", args=[draft.pk]))
        self.assertContains(page, "*党委")


class SummaryEditorTests(EditorPostMixin, DocumentsTestCase):
    def test_regenerate_button_regenerates_the_work_section(self):
        self.login("party_admin")
        self.client.post(CREATE, {"org": "QJ", "period": "2023H1"})
        draft = Draft.objects.get()
        activity_types_install(actor=None, unit=self.orgs["QJ"])
        activity_record(actor=None, organization=self.orgs["QJ01"], held_on=date(2023, 5, 4), name="特色",
                        activity_type=ActivityType.objects.get(unit=self.orgs["QJ"], name="特色活动"), people_covered=30,
                        problems_solved=4, work_area="学习宣传")
        response = self.client.post(reverse("documents:draft-save", args=[draft.pk]),
                                    self.editor_data(draft, op="regenerate:work"))
        self.assertEqual(response.status_code, 302)
        draft.refresh_from_db()
        self.assertIn("共举办特色活动1场，覆盖群众30人，解决群众操心事、烦心事、揪心事4件",
                      "".join(b["text"] for b in draft.content))
        self.assertEqual(draft.versions.first().note, "重新生成：工作情况")


class SummaryTemplatesPageTests(DocumentsTestCase):
    def test_party_admin_sees_every_template_with_its_placeholders(self):
        self.login("party_admin")
        with CaptureQueriesContext(connection) as queries:
            page = self.client.get(templates_url())
        self.assertContains(page, "“学习宣传”板块标题")
        self.assertContains(page, "学思想、强党性，深入学习宣传党的二十大精神")
        self.assertContains(page, "{覆盖人数}")
        self.assertContains(page, "党委与纪检组专题会商{次数}次")
        self.assertLess(len(queries), 15)

    def test_saving_stores_only_changes_and_they_apply(self):
        user = self.login("party_admin")
        response = self.client.post(templates_url(), {
            "t-title": "{单位简称}{期间}工作总结",
            "t-section.学习宣传": "学思想、强党性，深入学习宣传党的二十大精神",  # the default: not stored
            "t-fact.consultation.committee": "党委与纪检组会商{次数}次",
        })
        self.assertRedirects(response, templates_url())
        stored = dict(SummaryTemplate.objects.filter(unit=self.orgs["QJ"]).values_list("key", "text"))
        self.assertEqual(stored, {"title": "{单位简称}{期间}工作总结", "fact.consultation.committee": "党委与纪检组会商{次数}次"})
        self.assertEqual(SummaryTemplate.objects.get(key="title").updated_by, user)
        self.assertTrue(AuditEvent.objects.filter(action="summary_templates.save").exists())
        self.client.post(CREATE, {"org": "QJ", "period": "2023H1"})
        self.assertEqual(Draft.objects.get().title, "区局2023年上半年工作总结")
        page = self.client.get(templates_url())
        self.assertContains(page, "本单位已修改")

    def test_reset_goes_back_to_the_default(self):
        self.login("party_admin")
        SummaryTemplate.objects.create(unit=self.orgs["QJ"], key="title", text="自定义")
        self.client.post(templates_url(), {"t-title": "自定义", "reset": ["title"]})
        self.assertFalse(SummaryTemplate.objects.exists())

    def test_a_template_with_unknown_placeholders_is_refused(self):
        self.login("party_admin")
        response = self.client.post(templates_url(), {"t-title": "{年}年{人头}总结", "t-opening": "正常的开头"})
        self.assertContains(response, "不认识的占位符：{人头}", status_code=400)
        self.assertFalse(SummaryTemplate.objects.exists())

    def test_higher_units_templates_are_inherited_and_shown(self):
        SummaryTemplate.objects.create(unit=self.orgs["SJ"], key="opening", text="市局统一开头：")
        self.login("party_admin")
        self.assertContains(self.client.get(templates_url()), "沿用示范市税务局党委")

    def test_readers_get_403_and_others_404(self):
        for username in ("leader", "supervisor", "city_admin"):
            self.login(username)
            self.assertEqual(self.client.get(templates_url()).status_code, 403, username)
            self.assertEqual(self.client.post(templates_url(), {"t-title": "改"}).status_code, 403, username)
        for username in ("xq_admin", "secretary", "sysadmin"):
            self.login(username)
            self.assertEqual(self.client.get(templates_url()).status_code, 404, username)
            self.assertEqual(self.client.post(templates_url(), {"t-title": "改"}).status_code, 404, username)
        self.login("party_admin")
        self.assertEqual(self.client.get(templates_url("NOPE")).status_code, 404)
        self.assertFalse(SummaryTemplate.objects.exists())
