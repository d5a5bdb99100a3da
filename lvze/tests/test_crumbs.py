"""Breadcrumbs: section › page › object, named as in the navigation."""

from datetime import date

from django.urls import reverse

from lvze.records.services import meeting_record
from lvze.test import LvzeTestCase


class CrumbTests(LvzeTestCase):
    def crumbs(self, url):
        html = self.client.get(url).content.decode()
        start = html.index('<nav class="muted crumbs-bar"')
        return html[start:html.index("</nav>", start)]

    def test_a_detail_page_names_section_list_and_object(self):
        meeting = meeting_record(actor=None, organization=self.orgs["QJ01"], kind="theme_day",
                                 held_on=date(2023, 5, 12), topic="五月主题党日").record
        self.login("secretary")
        crumbs = self.crumbs(reverse("records:meeting-detail", args=[meeting.pk]))
        self.assertIn('<span class="crumb-section">纪实</span> › ', crumbs)
        self.assertIn(f'<a href="{reverse("records:meeting-list")}">会议纪实</a> › ', crumbs)
        self.assertIn('<span aria-current="page">五月主题党日</span>', crumbs)

    def test_a_list_page_without_its_own_crumbs_takes_them_from_the_navigation(self):
        self.login("party_admin")
        crumbs = self.crumbs(reverse("orgs:person-list"))
        self.assertIn('<span class="crumb-section">组织与人员</span> › ', crumbs)
        self.assertIn('aria-current="page">人员</a>', crumbs)

    def test_an_organisation_shows_its_parent(self):
        self.login("party_admin")
        crumbs = self.crumbs(reverse("orgs:org-detail", args=["QJ01"]))
        self.assertIn(f'<a href="{reverse("orgs:org-detail", args=["QJJG"])}">示范区税务局机关党委</a>', crumbs)
        self.assertIn('<span aria-current="page">第一党支部</span>', crumbs)
