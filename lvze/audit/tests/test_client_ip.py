from django.test import RequestFactory, SimpleTestCase, override_settings

from lvze.audit.middleware import client_ip


@override_settings(LVZE_TRUSTED_PROXIES=frozenset({"127.0.0.1", "10.0.0.2"}))
class ClientIpTests(SimpleTestCase):
    def ip(self, remote: str, forwarded: str | None = None) -> str:
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(RequestFactory().get("/", **extra))

    def test_a_direct_client_cannot_choose_its_address(self):
        self.assertEqual(self.ip("203.0.113.7", "1.2.3.4"), "203.0.113.7")

    def test_behind_a_trusted_proxy_the_forwarded_client_counts(self):
        self.assertEqual(self.ip("127.0.0.1", "198.51.100.4"), "198.51.100.4")

    def test_a_forged_first_hop_is_ignored_behind_a_chain_of_proxies(self):
        # The client sent "1.2.3.4" itself; the proxies appended the real address and their own.
        self.assertEqual(self.ip("127.0.0.1", "1.2.3.4, 198.51.100.4, 10.0.0.2"), "198.51.100.4")

    def test_without_the_header_the_connection_counts(self):
        self.assertEqual(self.ip("127.0.0.1"), "127.0.0.1")
