"""全局搜索: grouped results, read through each app's selectors, with empty and no-result states."""

from datetime import date

from django.urls import reverse

from lvze.duties.models import Source, WorkItem
from lvze.records.models import ActivityType
from lvze.records.registry_services import activity_record, activity_types_install
from lvze.records.services import meeting_record, talk_record
from lvze.search import GROUP_LIMIT, search
from lvze.test import LvzeTestCase


class SearchTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.m1 = cls.meeting("QJ01", "学习二十大精神主题党日")
        cls.m2 = cls.meeting("QJ02", "学习二十大精神支部大会")
        cls.m_xq = cls.meeting("XQ01", "学习二十大精神新区党课")
        cls.item = cls.work_item("QJ01", "学习二十大精神专题研讨")
        cls.talk = talk_record(actor=None, organization=cls.orgs["QJ01"], held_on=date(2023, 4, 10),
                               initiator=cls.p1, partner=cls.make_person("赵学习", "QJ01"), topic="学习心得交流").record
        activity_types_install(actor=None, unit=cls.orgs["QJ"])
        cls.activity = activity_record(actor=None, organization=cls.orgs["QJ01"], name="学习宣讲进社区",
                                       activity_type=ActivityType.objects.get(unit=cls.orgs["QJ"], name="宣讲"),
                                       held_on=date(2023, 4, 8))

    @classmethod
    def meeting(cls, org, topic):
        return meeting_record(actor=None, organization=cls.orgs[org], kind="theme_day",
                              held_on=date(2023, 5, 12), topic=topic).record

    @classmethod
    def work_item(cls, code, title):
        org = cls.orgs[code]
        return WorkItem.objects.create(key=title, source=Source.TASK, organization=org, unit=org.unit,
                                       org_path=org.path, title=title, due_date=date(2023, 6, 30))

    def labels(self, username, query):
        return {g.label: [h.title for h in g.hits] for g in search(self.users[username], query)}

    def test_a_branch_secretary_sees_only_their_branch(self):
        found = self.labels("secretary", "学习")
        self.assertEqual(found["会议纪实"], ["学习二十大精神主题党日"])
        self.assertEqual(found["事项"], ["学习二十大精神专题研讨"])
        self.assertEqual(found["谈心谈话"], ["学习心得交流"])
        self.assertEqual(found["活动纪实"], ["学习宣讲进社区"])
        self.assertEqual(found["人员"], ["赵学习"])
        self.assertEqual(self.labels("secretary2", "李"), {"人员": ["李二"]})
        self.assertNotIn("人员", self.labels("secretary", "李"))
        self.assertEqual(self.labels("secretary2", "学习")["会议纪实"], ["学习二十大精神支部大会"])
        self.assertNotIn("谈心谈话", self.labels("secretary2", "学习"))

    def test_the_unit_sees_its_branches_and_not_another_unit(self):
        meetings = self.labels("party_admin", "学习")["会议纪实"]
        self.assertEqual(sorted(meetings), ["学习二十大精神主题党日", "学习二十大精神支部大会"])
        self.assertEqual(sorted(self.labels("city_admin", "学习")["会议纪实"]), sorted([*meetings, "学习二十大精神新区党课"]))
        self.assertEqual(self.labels("xq_admin", "学习"), {"会议纪实": ["学习二十大精神新区党课"]})

    def test_page_groups_results_and_links_to_detail_pages(self):
        self.login("party_admin")
        response = self.client.get(reverse("search"), {"q": "第一"})
        self.assertContains(response, "<h2", count=1)
        self.assertContains(response, "组织")
        self.assertContains(response, reverse("orgs:org-detail", args=["QJ01"]))
        self.assertNotContains(response, reverse("orgs:org-detail", args=["XQ01"]))
        response = self.client.get(reverse("search"), {"q": "学"})
        for url in (reverse("records:meeting-detail", args=[self.m1.pk]), reverse("duties:item-detail", args=[self.item.pk]),
                    reverse("records:talk-detail", args=[self.talk.pk]),
                    reverse("records:activity-detail", args=[self.activity.pk])):
            self.assertContains(response, f'href="{url}"')
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertNotContains(response, reverse("records:meeting-detail", args=[self.m_xq.pk]))
        self.assertEqual([g.label for g in response.context["groups"]], ["人员", "事项", "会议纪实", "谈心谈话", "活动纪实"])

    def test_groups_are_limited_with_a_link_to_the_filtered_list(self):
        for i in range(GROUP_LIMIT + 2):
            self.work_item("QJ01", f"整改落实第{i}项")
        self.login("party_admin")
        response = self.client.get(reverse("search"), {"q": "整改"})
        (group,) = response.context["groups"]
        self.assertEqual((len(group.hits), group.total), (GROUP_LIMIT, GROUP_LIMIT + 2))
        self.assertContains(response, f'href="{reverse("duties:item-list")}?q=%E6%95%B4%E6%94%B9"')
        listed = self.client.get(group.more_url)
        self.assertEqual(listed.context["page"].paginator.count, GROUP_LIMIT + 2)

    def test_matches_are_marked_and_escaped(self):
        self.work_item("QJ01", "<b>整改</b>落实")
        self.login("party_admin")
        response = self.client.get(reverse("search"), {"q": "整改"})
        self.assertContains(response, "&lt;b&gt;<mark>整改</mark>&lt;/b&gt;落实")
        self.assertNotContains(response, "<b>整改")

    def test_empty_query_and_no_result_say_what_to_do(self):
        self.login("secretary")
        response = self.client.get(reverse("search"))
        self.assertContains(response, "请输入关键词")
        self.assertEqual(response.context["groups"], [])
        response = self.client.get(reverse("search"), {"q": "   "})
        self.assertContains(response, "请输入关键词")
        response = self.client.get(reverse("search"), {"q": "新区"})
        self.assertContains(response, "没有找到与“新区”相关")
        self.assertContains(response, "缩短关键词")

    def test_one_chinese_character_is_enough_and_the_box_is_in_every_page(self):
        self.login("secretary")
        self.assertEqual(self.labels("secretary", "张"), {"人员": ["张一"], "谈心谈话": ["学习心得交流"]})
        home = self.client.get(reverse("home"))
        self.assertContains(home, f'action="{reverse("search")}"')
        self.assertContains(home, 'aria-label="全局搜索')

    def test_roles_without_business_data_find_no_records(self):
        self.assertEqual(self.labels("auditor", "学习"), {})
        self.assertNotIn("会议纪实", self.labels("sysadmin", "学习"))
