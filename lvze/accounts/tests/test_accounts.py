from django.core.exceptions import ValidationError
from django.urls import reverse

from lvze.accounts.models import Role, RoleGrant, User
from lvze.accounts.services import role_grant
from lvze.audit.models import AuditEvent
from lvze.test import PASSWORD, LvzeTestCase


class LoginTests(LvzeTestCase):
    def test_login_and_logout(self):
        response = self.client.post(reverse("accounts:login"), {"username": "leader", "password": PASSWORD})
        self.assertRedirects(response, reverse("home"))
        response = self.client.post(reverse("accounts:logout"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)

    def test_wrong_password_shows_chinese_error(self):
        response = self.client.post(reverse("accounts:login"), {"username": "leader", "password": "x"})
        self.assertContains(response, "用户名或密码不正确")

    def test_password_change_enforces_complexity(self):
        self.login("leader")
        url = reverse("accounts:password-change")
        response = self.client.post(
            url, {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"}
        )
        self.assertContains(response, "至少三类")
        response = self.client.post(
            url, {"old_password": PASSWORD, "new_password1": "Abcdef12!", "new_password2": "Abcdef12!"}
        )
        self.assertRedirects(response, reverse("home"))
        user = User.objects.get(username="leader")
        self.assertTrue(user.check_password("Abcdef12!"))
        self.assertIsNotNone(user.password_changed_at)
        self.assertEqual(AuditEvent.objects.order_by("-seq").first().action, "user.password_change")


class SeparationOfDutiesTests(LvzeTestCase):
    def test_three_admins_hold_no_business_role(self):
        with self.assertRaises(ValidationError):
            role_grant(actor=None, user=self.users["auditor"], role=Role.LEADER, organization=self.orgs["QJ"])
        with self.assertRaises(ValidationError):
            role_grant(actor=None, user=self.users["leader"], role=Role.AUDITOR, organization=self.orgs["QJ"])
        with self.assertRaises(ValidationError):
            role_grant(
                actor=None, user=self.users["sysadmin"], role=Role.SECADMIN, organization=self.orgs["SJ"]
            )

    def test_business_roles_combine(self):
        role_grant(actor=None, user=self.users["leader"], role=Role.SECRETARY, organization=self.orgs["QJ01"])
        self.assertEqual(RoleGrant.objects.filter(user=self.users["leader"]).count(), 2)


class AccountPageTests(LvzeTestCase):
    def test_secadmin_creates_account_and_grants_role(self):
        self.login("secadmin")
        response = self.client.post(
            reverse("accounts:user-create"),
            {"username": "newbie", "display_name": "新人", "password": "Newbie@2023"},
        )
        user = User.objects.get(username="newbie")
        self.assertRedirects(response, reverse("accounts:user-detail", args=[user.pk]))
        self.client.post(
            reverse("accounts:user-detail", args=[user.pk]),
            {"role": Role.SECRETARY, "organization": self.orgs["QJ02"].pk},
        )
        grant = RoleGrant.objects.get(user=user)
        self.assertEqual((grant.role, grant.organization.code), (Role.SECRETARY, "QJ02"))
        self.assertEqual(AuditEvent.objects.order_by("-seq").first().action, "role.grant")

    def test_separation_error_is_shown_on_the_page(self):
        self.login("secadmin")
        response = self.client.post(
            reverse("accounts:user-detail", args=[self.users["auditor"].pk]),
            {"role": Role.LEADER, "organization": self.orgs["QJ"].pk},
        )
        self.assertContains(response, "三员")
        self.assertEqual(RoleGrant.objects.filter(user=self.users["auditor"]).count(), 1)

    def test_revoke(self):
        self.login("secadmin")
        grant = RoleGrant.objects.get(user=self.users["staff"])
        response = self.client.post(reverse("accounts:grant-revoke", args=[self.users["staff"].pk, grant.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(RoleGrant.objects.filter(pk=grant.pk).exists())

    def test_revoke_needs_post(self):
        self.login("secadmin")
        grant = RoleGrant.objects.get(user=self.users["staff"])
        self.assertEqual(
            self.client.get(
                reverse("accounts:grant-revoke", args=[self.users["staff"].pk, grant.pk])
            ).status_code,
            405,
        )

    def test_business_users_cannot_manage_accounts(self):
        for username in ["party_admin", "sysadmin", "auditor", "leader"]:
            self.login(username)
            self.assertEqual(self.client.get(reverse("accounts:user-list")).status_code, 404, username)
            self.assertEqual(
                self.client.get(reverse("accounts:user-detail", args=[self.users["member"].pk])).status_code,
                404,
            )

    def test_deactivate_account(self):
        self.login("secadmin")
        self.client.post(reverse("accounts:user-set-active", args=[self.users["staff"].pk]), {"active": "0"})
        self.assertFalse(User.objects.get(username="staff").is_active)
