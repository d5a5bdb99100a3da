"""逐级审批: a chain of levels that cannot be skipped, returns to the 经办人, resubmission from the first
level, the history kept; and the pages around it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

from lvze.accounts.models import Role
from lvze.accounts.services import role_grant, user_create
from lvze.audit.models import AuditEvent
from lvze.reminders.models import Notification
from lvze.test import PASSWORD, LvzeTestCase
from lvze.upward import approvals
from lvze.upward.approval_selectors import approvals_for_user, waiting_for_user
from lvze.upward.models import ApprovalActionKind, ApprovalChain, ApprovalRequest, ApprovalState


class ApprovalTestCase(LvzeTestCase):
    """经办 (staff@办公室) → 部门负责人 (a named account) → 分管领导 (leader@区局) → 党委 (party_admin@区局)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        head = user_create(actor=None, username="office_head", password=PASSWORD, validate=False)
        role_grant(actor=None, user=head, role=Role.STAFF, organization=cls.orgs["QJBGS"])
        cls.users["office_head"] = head
        cls.chain = approvals.approval_chain_save(
            actor=cls.users["party_admin"],
            unit=cls.orgs["QJ"],
            code=approvals.UNION_CHAIN,
            name="工会经费收支审批",
            steps=[
                {"label": "部门负责人", "user": head},
                {"label": "分管领导", "role": Role.LEADER, "organization": cls.orgs["QJ"]},
                {"label": "党委", "role": Role.PARTY_ADMIN, "organization": cls.orgs["QJ"]},
            ],
        )

    def request(self, amount: str = "1200.00") -> ApprovalRequest:
        return approvals.approval_request_create(
            actor=self.users["staff"],
            chain=self.chain,
            organization=self.orgs["QJBGS"],
            subject="union_fund",
            title="五一职工羽毛球比赛用品",
            amount=amount,
            purpose="购买羽毛球及奖品",
        )


class ChainTests(ApprovalTestCase):
    def test_a_chain_must_name_who_approves_each_level_within_the_unit(self):
        bad_steps = [
            ([], "1至8个环节"),
            ([{"label": "", "user": self.users["leader"]}], "请填写环节名称"),
            ([{"label": "分管领导"}], "请指定审批人"),
            ([{"label": "市局", "role": Role.PARTY_ADMIN, "organization": self.orgs["SJ"]}], "须属于"),
        ]
        for steps, message in bad_steps:
            with self.assertRaisesMessage(ValidationError, message):
                approvals.approval_chain_save(actor=None, unit=self.orgs["QJ"], code="x", name="测试", steps=steps)
        self.assertFalse(ApprovalChain.objects.filter(code="x").exists())

    def test_changing_a_chain_does_not_reroute_a_request_on_its_way(self):
        item = self.request()
        approvals.approval_chain_save(
            actor=None, unit=self.orgs["QJ"], code=approvals.UNION_CHAIN, name="工会经费收支审批",
            steps=[{"label": "党委书记", "user": self.users["leader"]}],
        )
        item.refresh_from_db()
        self.assertEqual([s["label"] for s in item.steps], ["部门负责人", "分管领导", "党委"])
        self.assertEqual(self.chain.steps.count(), 1)


class ApprovalFlowTests(ApprovalTestCase):
    def test_every_level_approves_in_turn(self):
        item = self.request()
        self.assertEqual((item.state, item.current_label, item.amount), (ApprovalState.PENDING, "部门负责人", Decimal("1200.00")))
        self.assertTrue(Notification.objects.filter(user=self.users["office_head"], title__contains="待您审批").exists())
        self.assertEqual(list(waiting_for_user(self.users["office_head"])), [item])
        self.assertEqual(list(waiting_for_user(self.users["leader"])), [])

        approvals.approval_approve(actor=self.users["office_head"], request=item, note="同意")
        self.assertEqual((item.state, item.current_label), (ApprovalState.PENDING, "分管领导"))
        self.assertEqual(list(waiting_for_user(self.users["leader"])), [item])
        approvals.approval_approve(actor=self.users["leader"], request=item)
        self.assertEqual(item.current_label, "党委")
        approvals.approval_approve(actor=self.users["party_admin"], request=item)
        self.assertEqual(item.state, ApprovalState.APPROVED)
        self.assertIsNotNone(item.decided_at)
        history = [(a.step_label, a.action) for a in item.actions.all()]
        self.assertEqual(
            history,
            [("经办人", "submit"), ("部门负责人", "approve"), ("分管领导", "approve"), ("党委", "approve")],
        )
        self.assertEqual(AuditEvent.objects.filter(action="approval.approve", object_id=str(item.pk)).count(), 3)
        self.assertTrue(Notification.objects.filter(user=self.users["staff"], title__startswith="审批通过").exists())
        with self.assertRaisesMessage(ValidationError, "已批准"):
            approvals.approval_approve(actor=self.users["party_admin"], request=item)

    def test_a_level_cannot_be_skipped(self):
        item = self.request()
        for username in ("leader", "party_admin", "city_admin"):
            with self.assertRaisesMessage(ValidationError, "不是该环节的审批人"):
                approvals.approval_approve(actor=self.users[username], request=item)
        item.refresh_from_db()
        self.assertEqual((item.current_step, item.state), (0, ApprovalState.PENDING))
        self.assertEqual(item.actions.count(), 1)

    def test_nobody_approves_their_own_request(self):
        item = approvals.approval_request_create(
            actor=self.users["office_head"], chain=self.chain, organization=self.orgs["QJBGS"],
            subject="union_fund", title="本人经办", amount="10",
        )
        with self.assertRaisesMessage(ValidationError, "不能审批自己"):
            approvals.approval_approve(actor=self.users["office_head"], request=item)

    def test_a_return_goes_back_to_the_requester_who_resubmits_from_the_first_level(self):
        item = self.request()
        approvals.approval_approve(actor=self.users["office_head"], request=item)
        with self.assertRaisesMessage(ValidationError, "写明原因"):
            approvals.approval_return(actor=self.users["leader"], request=item, note="")
        approvals.approval_return(actor=self.users["leader"], request=item, note="金额偏高，请压减")
        self.assertEqual((item.state, item.current_step), (ApprovalState.RETURNED, 1))
        self.assertEqual(list(waiting_for_user(self.users["leader"])), [])
        self.assertTrue(Notification.objects.filter(user=self.users["staff"], body="金额偏高，请压减").exists())
        with self.assertRaisesMessage(ValidationError, "只有经办人"):
            approvals.approval_resubmit(actor=self.users["leader"], request=item, title=item.title, amount="800")
        approvals.approval_resubmit(actor=self.users["staff"], request=item, title=item.title, amount="800", note="已压减")
        self.assertEqual((item.state, item.current_step, item.amount), (ApprovalState.PENDING, 0, Decimal("800.00")))
        with self.assertRaisesMessage(ValidationError, "不是该环节的审批人"):
            approvals.approval_approve(actor=self.users["leader"], request=item)
        kinds = [a.action for a in item.actions.all()]
        self.assertEqual(kinds, ["submit", "approve", "return", ApprovalActionKind.RESUBMIT])

    def test_amounts_and_titles_are_checked(self):
        for amount in ("0", "-5", "abc"):
            with self.assertRaises(ValidationError):
                self.request(amount=amount)
        self.assertFalse(ApprovalRequest.objects.exists())

    def test_who_reads_a_request(self):
        item = self.request()
        for username in ("staff", "office_head", "party_admin", "leader", "supervisor", "city_admin"):
            self.assertIn(item, approvals_for_user(self.users[username]), username)
        for username in ("xq_admin", "secretary", "member", "sysadmin", "auditor"):
            self.assertNotIn(item, approvals_for_user(self.users[username]), username)


class ApprovalPageTests(ApprovalTestCase):
    def setUp(self):
        self.item = self.request()

    def test_the_approver_sees_it_waiting_and_approves_it(self):
        self.login("office_head")
        page = self.client.get(reverse("upward:approval-list"))
        self.assertEqual(list(page.context["page"].object_list), [self.item])
        detail = self.client.get(reverse("upward:approval-detail", args=[self.item.pk]))
        self.assertContains(detail, "审批（部门负责人）")
        response = self.client.post(reverse("upward:approval-decide", args=[self.item.pk, "approve"]), {"note": "同意"})
        self.assertRedirects(response, reverse("upward:approval-detail", args=[self.item.pk]))
        self.item.refresh_from_db()
        self.assertEqual(self.item.current_step, 1)
        self.assertEqual(self.item.actions.last().note, "同意")

    def test_tabs_and_empty_states(self):
        self.login("staff")
        self.assertContains(self.client.get(reverse("upward:approval-list")), "没有等待您审批的申请")
        mine = self.client.get(reverse("upward:approval-list"), {"tab": "mine"})
        self.assertEqual(list(mine.context["page"].object_list), [self.item])
        self.login("city_admin")
        everything = self.client.get(reverse("upward:approval-list"), {"tab": "all", "state": "pending"})
        self.assertEqual(list(everything.context["page"].object_list), [self.item])
        self.assertEqual(self.client.get(reverse("upward:approval-list"), {"tab": "nope"}).status_code, 404)

    def test_someone_else_gets_403_and_outsiders_404(self):
        url = reverse("upward:approval-decide", args=[self.item.pk, "approve"])
        for username in ("leader", "party_admin", "staff", "city_admin"):  # readers, but not the current level
            self.login(username)
            self.assertEqual(self.client.get(reverse("upward:approval-detail", args=[self.item.pk])).status_code, 200)
            self.assertEqual(self.client.post(url).status_code, 403, username)
        for username in ("xq_admin", "secretary", "member"):
            self.login(username)
            self.assertEqual(self.client.get(reverse("upward:approval-detail", args=[self.item.pk])).status_code, 404)
            self.assertEqual(self.client.post(url).status_code, 404, username)
        self.item.refresh_from_db()
        self.assertEqual(self.item.current_step, 0)

    def test_return_and_resubmit_through_the_pages(self):
        self.login("office_head")
        self.client.post(reverse("upward:approval-decide", args=[self.item.pk, "return"]), {"note": "附发票"})
        self.item.refresh_from_db()
        self.assertEqual(self.item.state, ApprovalState.RETURNED)
        url = reverse("upward:approval-resubmit", args=[self.item.pk])
        self.assertEqual(self.client.post(url, {"title": "x", "amount": "1"}).status_code, 403)
        self.login("staff")
        self.assertContains(self.client.get(reverse("upward:approval-detail", args=[self.item.pk])), "修改后重新提交")
        self.client.post(url, {"title": "五一职工羽毛球比赛用品（附发票）", "amount": "1100", "purpose": "", "note": "已附"})
        self.item.refresh_from_db()
        self.assertEqual((self.item.state, self.item.amount), (ApprovalState.PENDING, Decimal("1100.00")))

    def test_chain_settings(self):
        self.login("party_admin")
        self.assertContains(self.client.get(reverse("upward:chain-list")), "部门负责人")
        url = reverse("upward:chain-edit", args=["QJ", approvals.UNION_CHAIN])
        self.assertContains(self.client.get(url), "部门负责人")
        self.client.post(url, {"name": "工会经费收支审批", "label_0": "工会主席", "user_0": self.users["office_head"].pk,
                               "label_1": "党委", "role_1": Role.PARTY_ADMIN, "org_1": self.orgs["QJ"].pk})
        self.assertEqual([s.label for s in self.chain.steps.all()], ["工会主席", "党委"])
        page = self.client.post(url, {"name": "工会经费收支审批", "label_0": "分管领导"})
        self.assertContains(page, "请指定审批人")
        self.assertEqual(self.chain.steps.count(), 2)
        self.assertEqual(self.client.get(reverse("upward:chain-edit", args=["QJ", "other"])).status_code, 404)
        for username in ("city_admin", "leader", "staff"):
            self.login(username)
            self.assertEqual(self.client.get(url).status_code, 404, username)
            self.assertEqual(self.client.post(url, {"name": "x"}).status_code, 404, username)

    def test_wrong_methods_are_405(self):
        self.login("office_head")
        for url in [
            reverse("upward:approval-decide", args=[self.item.pk, "approve"]),
            reverse("upward:approval-resubmit", args=[self.item.pk]),
        ]:
            self.assertEqual(self.client.get(url).status_code, 405, url)
        self.assertEqual(self.client.post(reverse("upward:approval-list")).status_code, 405)
        self.assertEqual(self.client.post(reverse("upward:approval-detail", args=[self.item.pk])).status_code, 405)
        self.assertEqual(self.client.post(reverse("upward:approval-decide", args=[self.item.pk, "skip"])).status_code, 404)
