"""等保 2.0 identification and authentication controls: lockout, initial and expired passwords, idle
sessions, security headers, and permission denials in the audit log."""

import time
from datetime import timedelta

from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lvze.accounts.middleware import IDLE_KEY
from lvze.accounts.models import User
from lvze.audit.models import AuditEvent
from lvze.test import PASSWORD, LvzeTestCase

NEW_PASSWORD = "Fresh#2024pw"


def last_event(action: str | None = None) -> AuditEvent | None:
    events = AuditEvent.objects.order_by("-seq")
    return (events.filter(action=action) if action else events).first()


class LockoutTests(LvzeTestCase):
    def attempt(self, password: str, username: str = "leader"):
        return self.client.post(reverse("accounts:login"), {"username": username, "password": password})

    def test_five_failures_lock_the_account_for_fifteen_minutes(self):
        for _ in range(4):
            self.assertContains(self.attempt("wrong"), "用户名或密码不正确")
        response = self.attempt("wrong")
        self.assertContains(response, "已被锁定")
        user = User.objects.get(username="leader")
        self.assertEqual(user.failed_logins, 5)
        minutes = (user.locked_until - timezone.now()).total_seconds() / 60
        self.assertTrue(14 < minutes <= 15, minutes)
        lockout = last_event("auth.lockout")
        self.assertEqual((lockout.actor_name, lockout.changes["failures"]), ("leader", 5))
        # The right password does not open a locked account, and trying does not extend the lock.
        self.assertContains(self.attempt(PASSWORD), "已被锁定")
        self.assertFalse(self.client.session.get("_auth_user_id"))
        self.assertEqual(User.objects.get(username="leader").locked_until, user.locked_until)
        self.assertEqual(AuditEvent.objects.filter(action="auth.login_failed").count(), 6)

    def test_lock_expires_and_success_resets_the_count(self):
        for _ in range(5):
            self.attempt("wrong")
        User.objects.filter(username="leader").update(locked_until=timezone.now() - timedelta(seconds=1))
        self.assertRedirects(self.attempt(PASSWORD), reverse("home"))
        user = User.objects.get(username="leader")
        self.assertEqual((user.failed_logins, user.locked_until), (0, None))

    def test_failures_are_counted_per_account(self):
        for _ in range(4):
            self.attempt("wrong")
        self.attempt("wrong", username="staff")
        self.assertRedirects(self.attempt(PASSWORD), reverse("home"))
        self.assertEqual(User.objects.get(username="staff").failed_logins, 1)

    @override_settings(LOGIN_FAILURE_LIMIT=2, LOGIN_LOCKOUT_MINUTES=60)
    def test_limit_and_duration_are_settings(self):
        self.attempt("wrong")
        self.assertContains(self.attempt("wrong"), "已被锁定")
        user = User.objects.get(username="leader")
        self.assertGreater(user.locked_until - timezone.now(), timedelta(minutes=59))

    def test_unknown_user_is_audited_and_locks_nothing(self):
        for _ in range(6):
            self.assertContains(self.attempt("wrong", username="nobody"), "用户名或密码不正确")
        self.assertEqual(AuditEvent.objects.filter(action="auth.login_failed", actor_name="nobody").count(), 6)
        self.assertFalse(AuditEvent.objects.filter(action="auth.lockout").exists())

    def test_secadmin_unlocks(self):
        for _ in range(5):
            self.attempt("wrong")
        self.login("secadmin")
        detail = self.client.get(reverse("accounts:user-detail", args=[self.users["leader"].pk]))
        self.assertContains(detail, "解除锁定")
        self.client.post(reverse("accounts:user-unlock", args=[self.users["leader"].pk]))
        self.assertIsNone(User.objects.get(username="leader").locked_until)
        self.assertEqual(last_event().action, "user.unlock")
        self.client.logout()
        self.assertRedirects(self.attempt(PASSWORD), reverse("home"))

    def test_open_session_survives_a_lockout_by_someone_else(self):
        owner = Client()
        owner.force_login(self.users["leader"])
        for _ in range(5):
            self.attempt("wrong")
        self.assertEqual(owner.get(reverse("home")).status_code, 200)


class PasswordPolicyTests(LvzeTestCase):
    def create_account(self) -> User:
        self.login("secadmin")
        self.client.post(
            reverse("accounts:user-create"), {"username": "newbie", "display_name": "新人", "password": "Init@2024x"}
        )
        self.client.logout()
        return User.objects.get(username="newbie")

    def test_initial_password_must_be_changed_at_first_login(self):
        user = self.create_account()
        self.assertIsNone(user.password_changed_at)
        response = self.client.post(reverse("accounts:login"), {"username": "newbie", "password": "Init@2024x"})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        for url in [reverse("home"), reverse("orgs:person-list"), reverse("reminders:notification-list")]:
            self.assertRedirects(self.client.get(url), reverse("accounts:password-change"))
        page = self.client.get(reverse("accounts:password-change"))
        self.assertContains(page, "初始密码")
        # The initial password cannot simply be kept.
        same = {"old_password": "Init@2024x", "new_password1": "Init@2024x", "new_password2": "Init@2024x"}
        self.assertContains(self.client.post(reverse("accounts:password-change"), same), "不能与当前密码相同")
        changed = {"old_password": "Init@2024x", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        self.assertRedirects(self.client.post(reverse("accounts:password-change"), changed), reverse("home"))
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_reset_by_secadmin_forces_a_change_and_lifts_a_lock(self):
        User.objects.filter(pk=self.users["leader"].pk).update(
            failed_logins=5, locked_until=timezone.now() + timedelta(minutes=10)
        )
        self.login("secadmin")
        self.client.post(reverse("accounts:user-reset-password", args=[self.users["leader"].pk]), {"password": "Reset@2024x"})
        user = User.objects.get(username="leader")
        self.assertEqual((user.password_changed_at, user.locked_until, user.failed_logins), (None, None, 0))
        self.assertEqual(last_event().action, "user.password_reset")
        self.client.logout()
        self.client.post(reverse("accounts:login"), {"username": "leader", "password": "Reset@2024x"})
        self.assertRedirects(self.client.get(reverse("home")), reverse("accounts:password-change"))

    def test_password_expires_after_ninety_days(self):
        User.objects.filter(pk=self.users["leader"].pk).update(password_changed_at=timezone.now() - timedelta(days=91))
        self.login("leader")
        response = self.client.get(reverse("home"))
        self.assertRedirects(response, reverse("accounts:password-change"))
        User.objects.filter(pk=self.users["leader"].pk).update(password_changed_at=timezone.now() - timedelta(days=89))
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        with override_settings(PASSWORD_MAX_AGE_DAYS=30):
            self.assertEqual(self.client.get(reverse("home")).status_code, 302)
        with override_settings(PASSWORD_MAX_AGE_DAYS=0):
            User.objects.filter(pk=self.users["leader"].pk).update(password_changed_at=timezone.now() - timedelta(days=900))
            self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_demo_accounts_are_exempt(self):
        User.objects.filter(pk=self.users["leader"].pk).update(is_demo=True, password_changed_at=None)
        self.login("leader")
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_htmx_requests_are_sent_to_the_whole_page(self):
        User.objects.filter(pk=self.users["leader"].pk).update(password_changed_at=None)
        self.login("leader")
        response = self.client.get(reverse("duties:item-counts"), headers={"HX-Request": "true"})
        self.assertEqual(response["HX-Redirect"], reverse("accounts:password-change"))

    def test_complexity(self):
        self.login("leader")
        weak = {"old_password": PASSWORD, "new_password1": "abcdefgh1", "new_password2": "abcdefgh1"}
        self.assertContains(self.client.post(reverse("accounts:password-change"), weak), "至少三类")
        short = {"old_password": PASSWORD, "new_password1": "Ab1!", "new_password2": "Ab1!"}
        self.assertContains(self.client.post(reverse("accounts:password-change"), short), "密码太短，至少须 8 位")


class IdleTimeoutTests(LvzeTestCase):
    def age_session(self, seconds: int) -> None:
        session = self.client.session
        session[IDLE_KEY] = int(time.time()) - seconds
        session.save()

    def test_idle_session_ends_after_thirty_minutes(self):
        self.login("leader")
        self.age_session(29 * 60)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        self.age_session(31 * 60)
        response = self.client.get(reverse("orgs:person-list"))
        self.assertRedirects(response, reverse("accounts:login") + "?next=/people/", fetch_redirect_response=False)
        self.assertEqual(last_event("auth.session_timeout").actor_id, self.users["leader"].pk)
        self.assertContains(self.client.get(response.url), "自动退出")
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)

    def test_activity_keeps_the_session(self):
        self.login("leader")
        self.age_session(20 * 60)
        self.client.get(reverse("home"))  # refreshes the clock
        self.assertLess(int(time.time()) - self.client.session[IDLE_KEY], 5)

    @override_settings(SESSION_IDLE_MINUTES=5)
    def test_timeout_is_a_setting(self):
        self.login("leader")
        self.age_session(6 * 60)
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)


class HeaderTests(LvzeTestCase):
    def test_security_headers(self):
        self.login("leader")
        response = self.client.get(reverse("home"))
        csp = response["Content-Security-Policy"]
        script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
        self.assertEqual(script_src, "script-src 'self'")
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertIn("object-src 'none'", csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertNotIn("Strict-Transport-Security", response)

    def test_login_page_has_them_too(self):
        response = self.client.get(reverse("accounts:login"))
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])
        self.assertEqual(response["X-Frame-Options"], "DENY")

    def test_hsts_only_under_tls(self):
        response = self.client.get(reverse("accounts:login"), secure=True)
        self.assertIn("max-age=31536000", response["Strict-Transport-Security"])

    @override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
    def test_hsts_behind_a_tls_proxy(self):
        response = self.client.get(reverse("accounts:login"), headers={"X-Forwarded-Proto": "https"})
        self.assertIn("Strict-Transport-Security", response)


class DenialAuditTests(LvzeTestCase):
    def test_out_of_scope_object_is_one_event(self):
        self.login("secretary")
        before = AuditEvent.objects.count()
        url = reverse("orgs:person-detail", args=[self.p2.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(AuditEvent.objects.count(), before + 1)
        event = last_event()
        self.assertEqual((event.action, event.actor_id, event.object_repr), ("access.denied", self.users["secretary"].pk, url))
        self.assertEqual(event.changes, {"status": 404, "method": "GET", "path": url, "view": "orgs:person-detail"})

    def test_allowed_requests_and_unknown_addresses_write_nothing(self):
        self.login("secretary")
        before = AuditEvent.objects.count()
        self.assertEqual(self.client.get(reverse("orgs:person-detail", args=[self.p1.pk])).status_code, 200)
        self.assertEqual(self.client.get("/no/such/page/").status_code, 404)
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_csrf_failure_is_recorded(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.users["party_admin"])
        response = client.post(reverse("orgs:person-create"), {"name": "无令牌"})
        self.assertEqual(response.status_code, 403)
        event = last_event()
        self.assertEqual((event.action, event.changes["status"], event.changes["method"]), ("access.denied", 403, "POST"))

    def test_auditor_filters_denials(self):
        self.login("secretary")
        self.client.get(reverse("orgs:person-detail", args=[self.p2.pk]))
        self.login("auditor")
        response = self.client.get(reverse("audit:event-list"), {"action": "access.denied"})
        self.assertContains(response, "access.denied")
        self.assertContains(response, f"/people/{self.p2.pk}/")
