"""Several processes appending at once (each its own connection) keep the chain one straight line."""

from django.conf import settings
from django.db import connection

from lvze.audit.models import AuditEvent
from lvze.audit.selectors import first_chain_break
from lvze.security.testing import together
from lvze.test import LvzeTransactionTestCase

WRITERS = 4
EACH = 40

APPEND = """
from lvze.audit.services import audit_record
from lvze.orgs.models import Person
person = Person.objects.first()
wait_for_go()
for n in range(int(_os.environ["EACH"])):
    audit_record(actor=None, action="test.concurrent", obj=person, changes={"writer": _os.environ["WRITER"], "n": n})
"""


class ConcurrentAppendTests(LvzeTransactionTestCase):
    def test_concurrent_writers_keep_the_chain_linear(self):
        before = AuditEvent.objects.count()
        envs = [{"EACH": str(EACH), "WRITER": str(w)} for w in range(WRITERS)]
        for code, _out, err in together(APPEND, envs, settings.DATA_DIR):
            self.assertEqual(code, 0, err)
        appended = AuditEvent.objects.filter(action="test.concurrent")
        self.assertEqual(appended.count(), WRITERS * EACH)
        self.assertEqual(AuditEvent.objects.count(), before + WRITERS * EACH)
        seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
        self.assertIsNone(first_chain_break())
        if connection.vendor == "postgresql":
            # The writers really interleaved (SQLite hands its one write lock to whoever asks next, so
            # there a writer may well finish its run before another gets in; the chain is linear either way).
            writers = [e["writer"] for e in appended.order_by("seq").values_list("changes", flat=True)]
            switches = sum(1 for a, b in zip(writers, writers[1:], strict=False) if a != b)
            self.assertGreater(switches, WRITERS - 1)
