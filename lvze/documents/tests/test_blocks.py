"""The pure block operations: moves, merge on regeneration, table text, diff lines."""

from django.test import SimpleTestCase

from lvze.documents import blocks as b
from lvze.documents.diff import diff_lines, has_changes


def gen(slot: str, text: str, section: str) -> dict:
    return b.as_generated({**b.paragraph(text, slot=slot), "id": slot}, section)


class BlockTests(SimpleTestCase):
    def test_move_remove_insert(self):
        blocks = [gen("a", "A", "s"), gen("b", "B", "s"), gen("c", "C", "t")]
        self.assertEqual([x["id"] for x in b.move(blocks, "c", -1)], ["a", "c", "b"])
        self.assertEqual([x["id"] for x in b.move(blocks, "a", -1)], ["a", "b", "c"])
        self.assertEqual([x["id"] for x in b.remove(blocks, "b")], ["a", "c"])
        inserted = b.insert_after(blocks, "c", b.paragraph("mine"))
        self.assertEqual((inserted[3]["section"], inserted[3]["generated"]), ("t", False))

    def test_merge_places_a_new_slot_after_its_predecessor(self):
        old = [gen("s.1", "one", "s"), {**b.paragraph("mine"), "id": "m", "section": "s"}, gen("t.1", "x", "t")]
        fresh = [gen("s.1", "ONE", "s"), gen("s.2", "TWO", "s")]
        merged = b.merge_section(old, fresh, "s", ["s", "t"])
        self.assertEqual([x.get("slot") or x["id"] for x in merged], ["s.1", "s.2", "m", "t.1"])
        self.assertEqual(merged[0]["text"], "ONE")

    def test_merge_into_an_emptied_section_follows_the_section_order(self):
        old = [gen("s.1", "one", "s"), gen("u.1", "u", "u")]
        merged = b.merge_section(old, [gen("t.1", "T", "t")], "t", ["s", "t", "u"])
        self.assertEqual([x["slot"] for x in merged], ["s.1", "t.1", "u.1"])

    def test_table_text_round_trip(self):
        table = b.table(["序号", "名称"], [["1", "甲|乙"], ["2", ""]])
        header, rows = b.parse_table_text(b.table_text(table))
        self.assertEqual((header, rows), (["序号", "名称"], [["1", "甲｜乙"], ["2", ""]]))
        self.assertEqual(b.parse_table_text("a | b\n1\n1 | 2 | 3")[1], [["1", ""], ["1", "2｜3"]])

    def test_heading_prefixes_follow_the_writer(self):
        blocks = [b.heading("甲", 1), b.heading("乙", 2), b.heading("丙", 2), b.heading("丁", 1)]
        self.assertEqual(list(b.heading_prefixes(blocks).values()), ["一、", "（一）", "（二）", "二、"])

    def test_diff_marks_changed_characters(self):
        rows = diff_lines(["标题：甲", "共有3人。", "不变"], ["标题：甲", "共有4人。", "不变", "新增"])
        self.assertTrue(has_changes(rows))
        changed = next(r for r in rows if r.tag == "replace")
        self.assertIn(("3", True), changed.old)
        self.assertIn(("4", True), changed.new)
        self.assertEqual(rows[-1].tag, "insert")
        self.assertFalse(has_changes(diff_lines(["a"], ["a"])))
