"""Several processes appending at once (each its own connection) keep the chain one straight line."""

import time

from lvze.audit.models import AuditEvent
from lvze.audit.selectors import first_chain_break
from lvze.security.testing import python_child
from lvze.test import LvzeTransactionTestCase

WRITERS = 4
EACH = 40

APPEND = """
import os, time
from lvze.audit.services import audit_record
from lvze.orgs.models import Person
start = float(os.environ["START_AT"])
time.sleep(max(0.0, start - time.time()))
person = Person.objects.first()
for n in range(int(os.environ["EACH"])):
    audit_record(actor=None, action="test.concurrent", obj=person, changes={"writer": os.environ["WRITER"], "n": n})
"""


class ConcurrentAppendTests(LvzeTransactionTestCase):
    def test_concurrent_writers_keep_the_chain_linear(self):
        before = AuditEvent.objects.count()
        start_at = str(time.time() + 3)  # every writer has started and set up Django by then
        procs = [python_child(APPEND, START_AT=start_at, EACH=str(EACH), WRITER=str(w)) for w in range(WRITERS)]
        for proc in procs:
            _out, err = proc.communicate(timeout=180)
            self.assertEqual(proc.returncode, 0, err)
        appended = AuditEvent.objects.filter(action="test.concurrent")
        self.assertEqual(appended.count(), WRITERS * EACH)
        self.assertEqual(AuditEvent.objects.count(), before + WRITERS * EACH)
        seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
        self.assertIsNone(first_chain_break())
        # The writers really interleaved: the appended run is not four blocks one after the other.
        writers = [e["writer"] for e in appended.order_by("seq").values_list("changes", flat=True)]
        switches = sum(1 for a, b in zip(writers, writers[1:], strict=False) if a != b)
        self.assertGreater(switches, WRITERS - 1)
