"""脱敏: replace registered names (and, on request, some figures) with "*", in text and in .docx files.

The masked document must read like the seed: "*党委坚持……", "将*党支部选定为……", "会商*次". So masking
works from the platform's own registry of names, never by guessing what looks like a name.

How a whole name is recognised in Chinese text, which has no word boundaries:

1. Registered names are people's names, organisations' full and short names, configured places and
   terms. Names shorter than two characters are ignored, and so is any name made up entirely of
   generic words (区局, 党委, 机关党委, 办公室 …; see `DEFAULT_GENERIC_WORDS`): such words are never
   masked and never count as leaks, so "区局党委" stays readable.
2. Every occurrence of a registered name is a candidate, wherever it stands.
3. A candidate is dropped when it lies inside a longer *protected* occurrence: a protected phrase
   (第一议题, 示范引领 …; see `DEFAULT_PROTECTED_PHRASES`) or a generic word. With a person named
   "示范" and a branch short-named "第一", "示范引领" and "第一议题" stay as they are. A name that
   exactly equals, or fully covers, a protected phrase is still masked.
4. The remaining candidates are taken longest first, then leftmost, never overlapping one already
   taken, so "新区第一党支部" is masked as one name, not as "新区" plus "第一党支部". A name that
   starts or ends with a Latin letter or digit must not touch another one there ("AB" is not found
   inside "ABC").
5. An organisation keeps its generic level suffix: "示范区税务局党委" → "*党委", "第一党支部" →
   "*党支部", "第一税务所" → "*税务所". Everything else becomes a single "*".
6. Figures are masked only in the categories a unit switches on (`FIGURE_PATTERNS`): amounts of
   money, counts of people given as digits right before 名/人/位 ("580余人" is an approximate
   coverage figure and stays), and counts of consultations and reports (会商3次, 汇报重点工作5余次).
   Only the digits are replaced.

Known limits, by design of rule 2: a registered name inside an unrelated longer word that is not
in the protected list is masked there too (person "张三" in "张三丰"); extend the protected phrases
for such words. In a .docx, names are joined across the runs of one paragraph; text in field codes
and deleted revisions is masked run by run; embedded objects (charts' workbooks, images) are not
touched.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

MASK = "*"
# Windows forbids "*" in file names; the full-width asterisk reads the same and is allowed everywhere.
FILENAME_MASK = "\uff0a"
MIN_NAME_LENGTH = 2


def _word_list(text: str) -> tuple[str, ...]:
    """Long word lists written as whitespace-separated text, easier to read and edit than literals."""
    return tuple(text.split())


DEFAULT_GENERIC_WORDS: tuple[str, ...] = _word_list(
    """
    总局 省局 市局 区局 县局 分局 税务所
    党委 党组 机关党委 党总支 党支部 联合党支部 支部 党小组 机关 纪检组
    办公室 党建办 人事教育股 纳税服务股 征收管理股 税政股 法制股 收入核算股 风险管理股 财务管理股 税源管理股
    工会 团支部 团委 妇委会
    """
)

_ORDINALS = "一二三四五六七八九十"
_ORDINAL_UNITS = ("次", "批", "轮", "季度", "阶段", "名", "位", "个", "期", "步")
DEFAULT_PROTECTED_PHRASES: tuple[str, ...] = (
    *_word_list(
        """
    第一议题 第一身份 第一职责 第一责任人 第一责任 第一时间 第一线 第一要务 第一生产力 第一动力 第一资源
    第一书记 第一课 示范引领 示范点 示范带动 示范作用 示范岗 示范单位 示范性 示范基地
    先锋模范 模范带头 模范作用
    """
    ),
    *(f"第{n}{unit}" for n in _ORDINALS for unit in _ORDINAL_UNITS),
)

FIGURE_PATTERNS: dict[str, re.Pattern[str]] = {
    "amounts": re.compile(r"(?P<n>\d[\d,，]*(?:\.\d+)?)\s*(?:万元|亿元|元)"),
    "people_counts": re.compile(r"(?<![第\d])(?P<n>\d+)(?:名|人|位)"),
    "consultation_counts": re.compile(r"(?:会商|汇报)[^\d，。；\n]{0,12}?(?P<n>\d+)\s*余?次"),
}
FIGURE_LABELS = {"amounts": "金额", "people_counts": "人数", "consultation_counts": "会商汇报次数"}
CATEGORY_LABELS = {
    "person": "人名",
    "organization": "组织名称",
    "place": "地名",
    "term": "专有名词",
    **FIGURE_LABELS,
}

_ASCII_WORD = re.compile(r"[0-9A-Za-z]")


@dataclass(frozen=True)
class Replacement:
    """One masked span of a text; `shown` is what a report displays (the figure with its unit)."""

    start: int
    end: int
    original: str
    masked: str
    category: str
    shown: tuple[str, str] | None = None

    @property
    def report_key(self) -> tuple[str, str, str]:
        original, masked = self.shown or (self.original, self.masked)
        return self.category, original, masked


@dataclass(frozen=True)
class _Entry:
    masked: str
    category: str


class _Trie:
    """All occurrences of many words in one pass; the registry of a whole tax system holds
    hundreds of thousands of names, too many for one regular expression."""

    def __init__(self) -> None:
        self._root: dict[str, dict] = {}

    def add(self, word: str) -> None:
        node = self._root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = word  # the empty key marks the end of a word

    def occurrences(self, text: str) -> Iterator[tuple[int, int, str]]:
        for start in range(len(text)):
            node = self._root
            for position in range(start, len(text)):
                node = node.get(text[position])
                if node is None:
                    break
                if "" in node:
                    yield start, position + 1, node[""]


class MaskRegistry:
    """The names to mask, built once per export from the platform's organisations and people."""

    def __init__(
        self,
        people_names: Iterable[str] = (),
        org_names: Iterable[tuple[str, Iterable[str]]] = (),
        generic_words: Iterable[str] = DEFAULT_GENERIC_WORDS,
        terms: Iterable[str] = (),
        places: Iterable[str] = (),
        *,
        protected_phrases: Iterable[str] = DEFAULT_PROTECTED_PHRASES,
        figures: Iterable[str] = (),
    ) -> None:
        self.generic_words = frozenset(w.strip() for w in generic_words if w.strip())
        self._generic_by_length = sorted(self.generic_words, key=len, reverse=True)
        self.figures = tuple(figures)
        unknown = [name for name in self.figures if name not in FIGURE_PATTERNS]
        if unknown:
            raise ValueError(
                f"未知的脱敏数字类别：{'、'.join(unknown)}（可选：{'、'.join(FIGURE_PATTERNS)}）"
            )
        self._entries: dict[str, _Entry] = {}
        self._names = _Trie()
        self._protected = _Trie()
        for phrase in (*protected_phrases, *self.generic_words):
            if phrase.strip():
                self._protected.add(phrase.strip())
        self._register_all(people_names, org_names, terms, places)

    def _register_all(
        self,
        people_names: Iterable[str],
        org_names: Iterable[tuple[str, Iterable[str]]],
        terms: Iterable[str],
        places: Iterable[str],
    ) -> None:
        for name in people_names:
            self._register(name, MASK, "person")
        for full_name, short_names in org_names:
            for name in (full_name, *short_names):
                self._register(name, self.org_masked_form(name.strip()), "organization")
        for name in places:
            self._register(name, MASK, "place")
        for name in terms:
            self._register(name, MASK, "term")

    def _register(self, name: str, masked: str, category: str) -> None:
        name = name.strip()
        if len(name) < MIN_NAME_LENGTH or self.is_generic(name) or name in self._entries:
            return
        self._entries[name] = _Entry(masked, category)
        self._names.add(name)

    @property
    def names(self) -> list[str]:
        """Every registered (maskable) name, longest first."""
        return sorted(self._entries, key=lambda name: (-len(name), name))

    def is_generic(self, name: str) -> bool:
        """True when the name is made up entirely of generic words (区局党委, 机关党委办公室)."""
        reachable = [True] + [False] * len(name)
        for end in range(1, len(name) + 1):
            reachable[end] = any(
                reachable[end - len(word)] for word in self._generic_by_length if name.endswith(word, 0, end)
            )
        return reachable[len(name)]

    def org_masked_form(self, name: str) -> str:
        """ "*" plus the longest generic word the name ends with: 示范区税务局机关党委 → *机关党委."""
        for word in self._generic_by_length:
            if len(word) < len(name) and name.endswith(word):
                return MASK + word
        return MASK

    def mask_text(self, text: str) -> tuple[str, list[Replacement]]:
        """The masked text and what was replaced, in text order."""
        replacements = self._name_replacements(text)
        taken = _occupied(len(text), replacements)
        for category in self.figures:
            replacements += _figure_replacements(text, category, taken)
        replacements.sort(key=lambda r: r.start)
        return apply_replacements(text, replacements), replacements

    def find_leaks(self, text: str) -> list[str]:
        """Registered names still present (by the same whole-name rule), in order of appearance."""
        found = sorted(self._name_replacements(text), key=lambda r: r.start)
        return list(dict.fromkeys(r.original for r in found))

    def _name_replacements(self, text: str) -> list[Replacement]:
        inside_longer = _ProtectedSpans(len(text), self._protected.occurrences(text))
        candidates = [
            (start, end, name)
            for start, end, name in self._names.occurrences(text)
            if not inside_longer(start, end) and _ascii_bounded(text, start, end)
        ]
        candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
        taken = bytearray(len(text))
        chosen: list[Replacement] = []
        for start, end, name in candidates:
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            entry = self._entries[name]
            chosen.append(Replacement(start, end, name, entry.masked, entry.category))
        return chosen


class _ProtectedSpans:
    """Answers "does a longer protected occurrence contain this span?" in constant time.

    A longer span containing [start, end) either starts earlier and reaches `end`, or starts at
    `start` and reaches beyond `end`; so per position we keep the farthest reach of both kinds.
    """

    def __init__(self, length: int, spans: Iterable[tuple[int, int, str]]) -> None:
        self._reach_from = [0] * (length + 1)
        for start, end, _ in spans:
            self._reach_from[start] = max(self._reach_from[start], end)
        self._reach_before = [0] * (length + 1)
        for position in range(1, length + 1):
            self._reach_before[position] = max(
                self._reach_before[position - 1], self._reach_from[position - 1]
            )

    def __call__(self, start: int, end: int) -> bool:
        return end <= self._reach_before[start] or end < self._reach_from[start]


def _ascii_bounded(text: str, start: int, end: int) -> bool:
    """A name with a Latin letter or digit at an edge must not continue a Latin word there."""
    if _ASCII_WORD.match(text[start]) and start > 0 and _ASCII_WORD.match(text[start - 1]):
        return False
    return not (_ASCII_WORD.match(text[end - 1]) and end < len(text) and _ASCII_WORD.match(text[end]))


def _occupied(length: int, replacements: list[Replacement]) -> bytearray:
    taken = bytearray(length)
    for r in replacements:
        taken[r.start : r.end] = b"\x01" * (r.end - r.start)
    return taken


def _figure_replacements(text: str, category: str, taken: bytearray) -> list[Replacement]:
    found: list[Replacement] = []
    for match in FIGURE_PATTERNS[category].finditer(text):
        start, end = match.span("n")
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        whole = match.group(0)
        shown = (whole, whole[: start - match.start()] + MASK + whole[end - match.start() :])
        found.append(Replacement(start, end, match["n"], MASK, category, shown))
    return found


def apply_replacements(text: str, replacements: list[Replacement]) -> str:
    """Rebuild a text from non-overlapping replacements sorted by position."""
    pieces: list[str] = []
    position = 0
    for r in replacements:
        pieces += [text[position : r.start], r.masked]
        position = r.end
    pieces.append(text[position:])
    return "".join(pieces)


# --- report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """One line of the report a person reads before handing the masked file on."""

    category: str
    original: str
    masked: str
    count: int

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)


@dataclass
class MaskReport:
    """What an export replaced, so the person exporting can check it before sending the file on."""

    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    parts: Counter[str] = field(default_factory=Counter)

    def add(self, replacements: Iterable[Replacement], part: str = "") -> None:
        for replacement in replacements:
            self.counts[replacement.report_key] += 1
            if part:
                self.parts[part] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rows(self) -> list[ReportRow]:
        """Most frequent first, then by the original text."""
        rows = [
            ReportRow(category, original, masked, n)
            for (category, original, masked), n in self.counts.items()
        ]
        return sorted(rows, key=lambda row: (-row.count, row.original))

    def count_of(self, original: str) -> int:
        return sum(n for (_, name, _), n in self.counts.items() if name == original)

    def summary(self) -> str:
        """One Chinese sentence for a page or a log: 共替换5处：张三→*（3处）、第一党支部→*党支部（2处）."""
        if not self.total:
            return "未发现需要脱敏的内容"
        items = "、".join(f"{row.original}→{row.masked}（{row.count}处）" for row in self.rows())
        return f"共替换{self.total}处：{items}"


# --- .docx ---------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_P, W_T = f"{{{W_NS}}}p", f"{{{W_NS}}}t"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Attributes naming fonts are not text (and a font name such as 仿宋_GB2312 must never change).
_FONT_ELEMENTS = frozenset({f"{{{W_NS}}}rFonts", f"{{{W_NS}}}font", f"{{{W_NS}}}altName"})
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)


def mask_docx(data: bytes, registry: MaskRegistry) -> tuple[bytes, MaskReport]:
    """Mask every XML part of a .docx (body, tables, headers, footers, notes, comments, properties)."""
    report = MaskReport()
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if _is_xml_part(info.filename):
                content = _mask_xml_part(content, registry, report, info.filename)
            target.writestr(info, content)
    return output.getvalue(), report


def docx_leaks(data: bytes, registry: MaskRegistry) -> dict[str, list[str]]:
    """Registered names found in each XML part of a .docx: empty when the file is safe to hand out."""
    leaks: dict[str, list[str]] = {}
    for part, texts in docx_texts(data).items():
        found = list(dict.fromkeys(name for text in texts for name in registry.find_leaks(text)))
        if found:
            leaks[part] = found
    return leaks


def docx_texts(data: bytes) -> dict[str, list[str]]:
    """The human-readable texts of every XML part: joined paragraphs, other element texts, attributes."""
    texts: dict[str, list[str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for name in source.namelist():
            if _is_xml_part(name):
                root = etree.fromstring(source.read(name), _PARSER)
                texts[name] = [_joined(_paragraph_texts(p)) for p in root.iter(W_P)] + [
                    value for _, _, value in _loose_texts(root)
                ]
    return texts


def mask_filename(name: str, registry: MaskRegistry) -> str:
    """Mask a file name, keeping its extension: 第一党支部检查通报.docx → ＊党支部检查通报.docx.

    The mask is the full-width ＊, since "*" cannot appear in a file name on Windows.
    """
    stem, dot, extension = name.rpartition(".")
    if not dot or not extension.isascii() or len(extension) > 5:
        stem, dot, extension = name, "", ""
    masked_stem = registry.mask_text(stem)[0].replace(MASK, FILENAME_MASK)
    return masked_stem + dot + extension


def _is_xml_part(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _mask_xml_part(content: bytes, registry: MaskRegistry, report: MaskReport, part: str) -> bytes:
    """Re-serialise only parts that changed, so untouched parts stay byte-identical."""
    root = etree.fromstring(content, _PARSER)
    changed = False
    for paragraph in root.iter(W_P):
        changed |= _mask_paragraph(paragraph, registry, report, part)
    for element, attribute, value in list(_loose_texts(root)):
        masked, replacements = registry.mask_text(value)
        if replacements:
            report.add(replacements, part)
            _set_loose_text(element, attribute, masked)
            changed = True
    if not changed:
        return content
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _paragraph_texts(paragraph: etree._Element) -> list[etree._Element]:
    """The w:t of this paragraph in order, leaving out those of paragraphs nested in text boxes."""
    return [t for t in paragraph.iter(W_T) if next(t.iterancestors(W_P)) is paragraph]


def _joined(texts: list[etree._Element]) -> str:
    return "".join(t.text or "" for t in texts)


def _mask_paragraph(paragraph: etree._Element, registry: MaskRegistry, report: MaskReport, part: str) -> bool:
    """Mask the paragraph's text as one string, so a name split over several runs is still found."""
    texts = _paragraph_texts(paragraph)
    _, replacements = registry.mask_text(_joined(texts))
    if not replacements:
        return False
    report.add(replacements, part)
    for element, new_text in zip(texts, distribute(_texts_of(texts), replacements), strict=True):
        if element.text != new_text:
            element.text = new_text
            if new_text != new_text.strip():
                element.set(XML_SPACE, "preserve")
    return True


def _texts_of(elements: list[etree._Element]) -> list[str]:
    return [element.text or "" for element in elements]


def distribute(segments: list[str], replacements: list[Replacement]) -> list[str]:
    """Apply replacements made on the joined text back onto its segments (one per run).

    A masked span's text goes into the segment where the span starts; the characters it covers in
    later segments are removed, so each run keeps its formatting for the text that remains.
    """
    owner = [index for index, segment in enumerate(segments) for _ in segment]
    joined = "".join(segments)
    out = [""] * len(segments)
    starts = {r.start: r for r in replacements}
    position = 0
    while position < len(joined):
        replacement = starts.get(position)
        if replacement is None:
            out[owner[position]] += joined[position]
            position += 1
        else:
            out[owner[position]] += replacement.masked
            position = replacement.end
    return out


def _loose_texts(root: etree._Element) -> Iterator[tuple[etree._Element, str | None, str]]:
    """Texts outside w:t: property values, field codes, deleted text, and non-ASCII attributes
    (comment authors, alt texts); ASCII attributes are ids, sizes and style names."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag != W_T and element.text and element.text.strip():
            yield element, None, element.text
        if element.tag in _FONT_ELEMENTS:
            continue
        for attribute, value in element.attrib.items():
            if not value.isascii() and not _is_internal_target(element, attribute):
                yield element, attribute, value


def _is_internal_target(element: etree._Element, attribute: str) -> bool:
    """A relationship's target inside the package names a zip entry; changing it would break the file."""
    return attribute == "Target" and element.get("TargetMode") != "External"


def _set_loose_text(element: etree._Element, attribute: str | None, value: str) -> None:
    if attribute is None:
        element.text = value
    else:
        element.set(attribute, value)
