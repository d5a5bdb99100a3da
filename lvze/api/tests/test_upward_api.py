import io

from docx import Document

from lvze.api.tests.helpers import bearer
from lvze.upward.models import Submission
from lvze.upward.tests.base import UpwardTestCase


class SubmissionApiTests(UpwardTestCase):
    def test_inbox_download_and_receive(self):
        submission = self.submit(self.adopt(self.make_draft()))
        city = bearer(self.users["city_admin"])
        inbox = self.client.get("/api/v1/submissions?inbox=true", **city).json()
        self.assertEqual([s["id"] for s in inbox["items"]], [submission.pk])
        document = self.client.get(f"/api/v1/submissions/{submission.pk}/document.docx", **city)
        self.assertEqual(document.status_code, 200)
        self.assertIn("人员信息核对", "\n".join(p.text for p in Document(io.BytesIO(document.content)).paragraphs))
        own = self.client.post(f"/api/v1/submissions/{submission.pk}/receive", **bearer(self.users["party_admin"]))
        self.assertEqual(own.status_code, 403, "a unit cannot receive its own")
        self.assertEqual(self.client.get(f"/api/v1/submissions/{submission.pk}", **bearer(self.users["xq_admin"])).status_code, 404)
        received = self.client.post(f"/api/v1/submissions/{submission.pk}/receive", **city)
        self.assertEqual(received.status_code, 200, received.content)
        self.assertEqual(Submission.objects.get(pk=submission.pk).state, received.json()["state"])
