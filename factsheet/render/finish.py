"""Write the PDF that ReportLab laid out as a tagged, archival file: PDF/UA-1 and PDF/A-2b.

ReportLab draws the pages, with marked content from ``tagging.py``; it has no structure tree,
XMP metadata or output intent, and its stream layout is not what PDF/A asks for. This step
adds them to ReportLab's own document objects and writes the file itself, in one pass, without
parsing any PDF back:

- the structure tree from the ``Tagger`` (StructTreeRoot, StructElem with /K, /Pg, /Alt, /A,
  /ID, /Headers; ParentTree; IDTree; /StructParents and /Tabs /S on pages; link annotations
  as OBJR of Link elements, with /StructParent, /Contents and the print flag);
- /MarkInfo, an sRGB output intent (``data/sRGB.icc``, the sRGB profile of LittleCMS) and
  XMP metadata (Dublin Core, xmp, pdf, pdfaid part 2 conformance B, pdfuaid part 1 with its
  extension schema) matching the Info dictionary; /Lang and /DisplayDocTitle come from
  ReportLab;
- the ToUnicode maps of the subset fonts without the entries for unused codes (ReportLab maps
  them to U+0000, which PDF/UA forbids);
- every stream with an end-of-line before ``endstream`` that /Length does not count (CR LF
  after data ending with a CR byte, so that the two cannot read as one CR LF).

The output is deterministic: the file ID is an MD5 digest of the bytes before the trailer.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import (
    Destination,
    DummyDoc,
    LinkAnnotation,
    NoEncryption,
    OutlineEntryObject,
    PDFArray,
    PDFCatalog,
    PDFDestinationXYZ,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPage,
    PDFResourceDictionary,
    PDFStream,
    PDFString,
    PDFTrueTypeFont,
    PDFZCompress,
    pdfdocEnc,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format

from factsheet.render.tagging import Node, Tagger
from factsheet.xmltext import escape


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    producer: str
    language: str
    date: str  # ISO 8601, e.g. 2021-06-01T00:00:00+00:00


def finish(canvas: Any, tagger: Tagger, meta: Meta) -> bytes:
    """The PDF bytes of everything drawn on ``canvas`` (a ReportLab canvas, not yet saved),
    tagged as ``tagger`` recorded it, with ``meta`` in its XMP metadata. The canvas cannot be
    used afterwards."""
    if len(canvas._code):
        canvas.showPage()
    doc = canvas._doc
    _structure(doc, tagger)
    _catalog(doc, meta)
    return _write(doc, canvas)


# --- the structure tree ------------------------------------------------------------------------


# Printable ASCII without the characters a PDF string escapes: written as it is.
_PLAIN = re.compile(r"[\x20-\x27\x2a-\x5b\x5d-\x7e]*")


def _string(text: str, document: Any) -> bytes:
    """``PDFString(text).format(document)``; an identifier or header name (``th-2-3``), plain
    ASCII, is written straight (no encryption here: ReportLab's is ``NoEncryption``)."""
    if _PLAIN.fullmatch(text):
        return b"(" + text.encode("ascii") + b")"
    return PDFString(text).format(document)


class _RefArray(PDFArray):
    """A ``PDFArray`` of object references and integers (the ParentTree's ``/Nums``),
    formatted to the same bytes without ReportLab's general formatter (a sheet has a few
    hundred such references)."""

    def format(self, document: Any, IND: bytes = b"\n ") -> bytes:
        return _array(self.sequence, document, self.multiline)


class _Elem(PDFObject):
    """A StructElem, formatted straight to bytes (a sheet has a few hundred)."""

    __RefOnly__ = 1

    def __init__(self, node: Node, parent: str) -> None:
        self.node, self.parent = node, parent
        self.kids: list[Any] = []  # _Elem, or (kind, page name, index, annotation name)
        self.page = ""  # the page of its first marked content
        self.name = ""

    def format(self, document: Any) -> bytes:
        numbers = document.idToObjectNumberAndVersion
        tag = self.node.tag
        kids = []
        for kid in self.kids:
            if type(kid) is _Elem:
                kids.append(b"%d 0 R" % numbers[kid.name][0])
            elif kid[0] == "mcid":
                kids.append(b"<< /Type /MCR /Pg %d 0 R /MCID %d >>" % (numbers[kid[1]][0], kid[2]))
            else:
                page, annotation = numbers[kid[1]][0], numbers[kid[3]][0]
                kids.append(b"<< /Type /OBJR /Pg %d 0 R /Obj %d 0 R >>" % (page, annotation))
        out = b"<< /Type /StructElem /S /%s /P %d 0 R\n /K [ %s ]" % (
            tag.role.encode("ascii"),
            numbers[self.parent][0],
            b" ".join(kids),
        )
        if self.page:
            out += b" /Pg %d 0 R" % numbers[self.page][0]
        if tag.alt or tag.ident or tag.attrs or tag.headers:
            out += _entries(tag.alt, tag.ident, tag.attrs, tag.headers)
        return out + b" >>"


_NO_ENCRYPTION = DummyDoc()  # what ``_string`` needs of a document: ReportLab's NoEncryption


@lru_cache(maxsize=1024)
def _entries(
    alt: str, ident: str, attrs: tuple[tuple[str, str], ...], headers: tuple[str, ...]
) -> bytes:
    """A StructElem's /Alt, /ID and /A entries, remembered: the table cells of one sheet have
    mostly the identifiers, attributes and headers of the sheet before."""
    out = []
    if alt:
        out.append(b"\n /Alt " + _string(alt, _NO_ENCRYPTION))
    if ident:
        out.append(b"\n /ID " + _string(ident, _NO_ENCRYPTION))
    if attrs or headers:
        entries = [b"/O /Table"]
        for key, value in attrs:
            shown = value if value.isdigit() else "/" + value
            entries.append(f"/{key} {shown}".encode("ascii"))
        if headers:
            names = b" ".join(_string(h, _NO_ENCRYPTION) for h in headers)
            entries.append(b"/Headers [ " + names + b" ]")
        out.append(b"\n /A << " + b" ".join(entries) + b" >>")
    return b"".join(out)


class _Tree:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.pages: list[PDFPage] = document.Pages.pages
        self.page_names = [f"Page{number}" for number in range(1, len(self.pages) + 1)]
        self.by_mcid: list[dict[int, _Elem]] = [{} for _ in self.pages]  # page -> MCID -> element
        self.annots: list[tuple[Any, _Elem, str]] = []  # (annotation, element, contents)
        self.ids: dict[str, _Elem] = {}  # /ID -> element, for the IDTree

    def element(self, node: Node, parent: str) -> _Elem:
        elem = _Elem(node, parent)
        self.document.Reference(elem)
        name = elem.name = elem.__InternalName__
        kids = elem.kids
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(self.element(kid, name))
                continue
            kind, page_number, index = kid
            page = self.page_names[page_number - 1]
            if not elem.page:
                elem.page = page
            if kind == "mcid":
                kids.append((kind, page, index))
                self.by_mcid[page_number - 1][index] = elem
            else:
                reference = self.pages[page_number - 1].Annots[index]
                kids.append((kind, page, index, reference.name))
                annotation = self.document.idToObject[reference.name]
                self.annots.append((annotation, elem, node.contents))
        if not elem.page:
            elem.page = _first_page(node)
        if node.tag.ident:
            self.ids[node.tag.ident] = elem
        return elem


def _first_page(node: Node) -> str:
    for kid in node.kids:
        if isinstance(kid, tuple):
            return f"Page{kid[1]}"
        page = _first_page(kid)
        if page:
            return page
    return ""


_PAGE_KEYS = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
_CATALOG_KEYS = [*PDFCatalog.__NoDefault__, "OutputIntents"]


def _structure(document: Any, tagger: Tagger) -> None:
    tree = _Tree(document)
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = document.Reference(root)
    top = tree.element(tagger.root, root_ref.name)
    root["K"] = PDFArray([PDFObjectReference(top.name)])
    nums: list[Any] = []
    for index, page in enumerate(tree.pages):
        page.__NoDefault__ = _PAGE_KEYS  # two keys more than ReportLab writes
        page.StructParents = index
        page.Tabs = PDFName("S")
        mcids = tree.by_mcid[index]
        nums += [index, _RefArray([PDFObjectReference(mcids[m].name) for m in range(len(mcids))])]
    key = len(tree.pages)
    for annotation, elem, contents in tree.annots:
        if isinstance(annotation, LinkAnnotation):  # an internal link (linkRect)
            annotation.permitted = (*annotation.permitted, "StructParent")
            annotation.Contents = contents
            annotation.otherkw.update(StructParent=key, F=4)
        else:  # an URL (linkURL): a plain dictionary
            annotation["StructParent"] = key
            annotation["Contents"] = PDFString(contents)
            annotation["F"] = 4
        nums += [key, PDFObjectReference(elem.name)]
        key += 1
    root["ParentTree"] = document.Reference(PDFDictionary({"Nums": _RefArray(nums)}))
    root["ParentTreeNextKey"] = key
    if tree.ids:
        names: list[Any] = []
        for ident in sorted(tree.ids):
            names += [PDFString(ident), PDFObjectReference(tree.ids[ident].name)]
        root["IDTree"] = document.Reference(PDFDictionary({"Names": PDFArray(names)}))
    document.Catalog.StructTreeRoot = root_ref


# --- catalog, metadata, output intent ------------------------------------------------------------


@cache
def _icc() -> bytes:
    return resources.files("factsheet").joinpath("data", "sRGB.icc").read_bytes()


def _catalog(document: Any, meta: Meta) -> None:
    catalog = document.Catalog
    catalog.__NoDefault__ = _CATALOG_KEYS
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    profile = PDFStream(PDFDictionary({"N": 3}), _icc(), filters=[PDFZCompress])
    catalog.OutputIntents = PDFArray(
        [
            PDFDictionary(
                {
                    "Type": PDFName("OutputIntent"),
                    "S": PDFName("GTS_PDFA1"),
                    "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
                    "Info": PDFString("sRGB IEC61966-2.1"),
                    "DestOutputProfile": document.Reference(profile),
                }
            )
        ]
    )
    metadata = PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")})
    catalog.Metadata = PDFStream(metadata, _xmp(meta).encode("utf-8"), filters=[])


# --- formatting ----------------------------------------------------------------------------------
#
# ReportLab's ``format`` sends every value through a chain of type tests, escapes every
# dictionary key character by character and formats every number with fp_str; a sheet has some
# 450 objects with a few thousand values. These functions give the same bytes for the values a
# sheet has (dictionaries, arrays, strings, names, numbers, references, destinations) and leave
# anything else to ReportLab. Object numbers differ from sheet to sheet: references are always
# formatted, never remembered.


@lru_cache(maxsize=512)
def _name(key: str) -> bytes:
    """``format(PDFName(key))``: a dictionary key (a sheet has a few dozen distinct ones)."""
    return pdfdocEnc(PDFName(key))


@lru_cache(maxsize=1024)
def _text(value: str) -> bytes:
    """``format(value)`` of a str, which is PDF syntax already (mostly a name: ``/Link``)."""
    return pdfdocEnc(value)


def _lines(multiline: Any) -> bool:
    """Whether ReportLab writes a dictionary or array one entry a line (not by default)."""
    return bool((multiline and rl_config.pdfMultiLine) or multiline == "forced")


def _join(items: list[bytes], multiline: Any, every: int) -> bytes:
    """The entries of a dictionary (``every`` 6) or array (10) as ReportLab joins them."""
    if _lines(multiline):
        return b"\n ".join(items)
    for i in reversed(range(every, len(items), every)):
        items.insert(i, b"\n ")
    return b" ".join(items)


def _dictionary(items: dict[str, Any], document: Any, multiline: Any = True) -> bytes:
    """``PDFDictionary(items).format(document)``."""
    keys = list(items)
    if not isinstance(items, OrderedDict):
        keys.sort()
    entries = [_name(key) + b" " + _pdf(items[key], document) for key in keys]
    return b"<<\n" + _join(entries, multiline, 6) + b"\n>>"


def _array(sequence: list[Any], document: Any, multiline: Any = True) -> bytes:
    """``PDFArray(sequence).format(document)``."""
    return b"[ " + _join([_pdf(e, document) for e in sequence], multiline, 10) + b" ]"


def _pdf_string(string: PDFString, document: Any) -> bytes:
    """``string.format(document)``: plain ASCII (most annotation contents and URLs) written
    straight, anything else by ReportLab."""
    text = string.s
    if (
        type(text) is str
        and string.escape == 1
        and string.enc == "auto"
        and isinstance(document.encrypt, NoEncryption)
    ):
        return _string(text, document)
    return string.format(document)


def _destination(destination: Destination, document: Any) -> bytes:
    """``destination.format(document)`` of a bound /XYZ destination (links and outline
    entries), as ``PDFDestinationXYZ`` formats it; any other kind by ReportLab."""
    xyz, page = destination.fmt, destination.page
    if type(xyz) is not PDFDestinationXYZ or page is None:
        return destination.format(document)
    xyz.page = page
    items = [document.Reference(page), PDFName(xyz.typename), xyz.left, xyz.top, xyz.zoom]
    return _array(items, document)


def _resources(resources: PDFResourceDictionary, document: Any) -> bytes:
    """``resources.format(document)``: a page's resource dictionary."""
    items: dict[str, Any] = {}
    for name in resources.dict_attributes:
        value = getattr(resources, name)
        if not isinstance(value, dict):
            items[name] = value
        elif value:
            items[name] = PDFDictionary(value)
    procedures = resources.ProcSet
    if not isinstance(procedures, (tuple, list)):
        items["ProcSet"] = procedures
    elif procedures:
        items["ProcSet"] = PDFArray(procedures)
    return _dictionary(items, document)


def _pdf(value: Any, document: Any) -> bytes:
    """``pdf_format(value, document)`` of a value inside an object."""
    kind = type(value)
    if kind is PDFObjectReference:
        return b"%d %d R" % document.idToObjectNumberAndVersion[value.name]
    if kind is str:
        return _text(value)
    if kind is int or kind is float:
        return fp_str(value).encode("ascii")
    if kind is PDFArray:
        return _array(value.sequence, document, value.multiline)
    if kind is PDFDictionary:
        return _dictionary(value.dict, document, value.multiline)
    if kind is PDFString:
        return _pdf_string(value, document)
    if kind is Destination:
        return _destination(value, document)
    if kind is PDFResourceDictionary:
        return _resources(value, document)
    if kind is bytes:
        return value
    return pdf_format(value, document)


@lru_cache(maxsize=16)
def _numbers(values: tuple[int | float, ...], lines: bool) -> bytes:
    """``PDFArray(values).format(document)`` of numbers: a font's /Widths, up to 256 of them,
    mostly those of the sheet before (equal numbers, int or float, format alike)."""
    return _array(list(values), None, "forced" if lines else False)


def _font(font: PDFTrueTypeFont, document: Any) -> bytes:
    """``font.format(document)`` (``PDFType1Font.format``): the names as names, the other
    attributes as they are, the /Widths remembered."""
    items: dict[str, Any] = {}
    for name in font.name_attributes:
        if hasattr(font, name):
            items[name] = PDFName(getattr(font, name))
    for name in font.local_attributes:
        if hasattr(font, name):
            items[name] = getattr(font, name)
    widths: Any = items.get("Widths")
    if type(widths) is PDFArray:
        values = tuple(widths.sequence)
        if all(type(v) is int or type(v) is float for v in values):
            items["Widths"] = _numbers(values, _lines(widths.multiline))
    return _dictionary(items, document)


def _outline_entry(entry: OutlineEntryObject, document: Any) -> bytes:
    """``entry.format(document)``: an outline entry."""
    items = {"Title": PDFString(entry.Title), "Parent": entry.Parent, "Dest": entry.Dest}
    for name in ("Prev", "Next", "First", "Last", "Count"):
        value = getattr(entry, name)
        if value is not None:
            items[name] = value
    return _dictionary(items, document)


def _catalog_dictionary(obj: PDFCatalog, document: Any) -> bytes:
    """``PDFCatalog.format``, for the catalog, the page tree and the pages."""
    obj.check_format(document)
    items = {}
    for key, default in obj.__Defaults__.items():
        value = getattr(obj, key, default)
        if value is not None:
            items[key] = value
    for key in obj.__NoDefault__:
        value = getattr(obj, key, None)
        if value is not None:
            items[key] = value
    for key in obj.__Refs__:
        if key in items:
            items[key] = document.Reference(items[key])
    return _dictionary(items, document)


def _object(obj: Any, document: Any) -> bytes:
    """An indirect object: a stream as ``_stream`` writes it, anything else as
    ``pdf_format(obj, document, toplevel=1)``."""
    if isinstance(obj, PDFStream):
        return _stream(obj, document)
    if not rl_config.invariant and rl_config.pdfComments:  # comments before objects: ReportLab's
        return pdf_format(obj, document, toplevel=1)
    kind = type(obj)
    if kind is _Elem:
        return obj.format(document)
    if kind is PDFDictionary:  # URL annotations, font descriptors, the structure tree's
        return _dictionary(obj.dict, document, obj.multiline)
    if kind is LinkAnnotation:
        dictionary = obj.Dict()
        return _dictionary(dictionary.dict, document, dictionary.multiline)
    if kind is PDFTrueTypeFont:
        return _font(obj, document)
    if kind is OutlineEntryObject:
        return _outline_entry(obj, document)
    if kind.format is PDFCatalog.format:
        return _catalog_dictionary(obj, document)
    return pdf_format(obj, document, toplevel=1)


# --- writing -------------------------------------------------------------------------------------


_UNMAPPED = re.compile(r"^<[0-9A-F]{2}> <0000>\n", re.MULTILINE)
_BFCHAR = re.compile(r"(\d+) beginbfchar")


def _clean_to_unicode(document: Any) -> None:
    """ReportLab's subset fonts map their unused codes to U+0000, which PDF/UA forbids: drop
    those entries (no text uses them) and fix the entry count."""
    for name, obj in document.idToObject.items():
        if name.startswith("toUnicodeCMap:") and isinstance(obj.content, str):
            obj.content = _mapped(obj.content)


@lru_cache(maxsize=16)
def _mapped(cmap: str) -> str:
    """A ToUnicode CMap without its entries for U+0000, remembered: a sheet's four are mostly
    those of the sheet before."""
    removed = len(_UNMAPPED.findall(cmap))
    if not removed:
        return cmap
    text = _UNMAPPED.sub("", cmap)
    count = _BFCHAR.search(text)
    if count:
        fixed = f"{int(count.group(1)) - removed} beginbfchar"
        text = text[: count.start()] + fixed + text[count.end() :]
    return text


_DEFLATED: OrderedDict[bytes, bytes] = OrderedDict()  # font subsets, CMaps, the ICC profile
_DEFLATED_SIZE = 24  # entries: a sheet has 9 that recur, 4 pages that do not, and a few more
_DEFLATED_FROM = 512  # bytes: the ICC profile has 588, a ToUnicode CMap 1-2 K


def _deflate(data: bytes) -> bytes:
    """``zlib.compress(data, 6)``, remembered: the font subsets and ToUnicode CMaps of one
    sheet are mostly byte for byte those of the sheet before, the ICC profile always (the same
    bytes in, the same bytes out)."""
    if len(data) < _DEFLATED_FROM:
        return zlib.compress(data, 6)
    found = _DEFLATED.get(data)
    if found is None:
        found = _DEFLATED[data] = zlib.compress(data, 6)
        if len(_DEFLATED) > _DEFLATED_SIZE:
            _DEFLATED.popitem(last=False)
    else:
        _DEFLATED.move_to_end(data)
    return found


def _stream(stream: PDFStream, document: Any) -> bytes:
    """A stream object, deflated when ReportLab would compress it, with an end-of-line before
    ``endstream`` that /Length does not count: CR LF after data that ends with a CR byte (a
    lone LF would pair with it into one CR LF end-of-line, and a validator would find
    /Length one byte off; the last byte of deflated data is part of its checksum, ~1 in 256),
    else LF."""
    content = stream.content
    data = content.encode("utf-8") if isinstance(content, str) else content
    dictionary = PDFDictionary(dict(stream.dictionary.dict))
    filters = stream.filters
    if filters is None:
        filters = document.defaultStreamFilters
    if filters and "Filter" not in dictionary.dict:
        # Flate alone: ReportLab adds ASCII85 to page streams (rl_config.useA85), which only
        # makes them a quarter larger in a binary file.
        if "FlateDecode" not in [f.pdfname for f in filters]:
            raise AssertionError(f"unexpected stream filters {filters!r}")
        data = _deflate(data)
        dictionary["Filter"] = PDFName("FlateDecode")
    dictionary["Length"] = len(data)
    end = b"\r\nendstream" if data.endswith(b"\r") else b"\nendstream"
    return _dictionary(dictionary.dict, document) + b"\nstream\n" + data + end


def _write(document: Any, canvas: Any) -> bytes:
    """Everything ReportLab's ``GetPDFData`` and ``PDFDocument.format`` do, but with this
    module's stream layout and file ID (ReportLab's is a digest of the metadata only)."""
    for font in document.delayedFonts:
        font.addObjects(document)
    document.info.invariant = document.invariant
    document.Reference(document.Catalog)
    document.Reference(document.info)
    document.Outlines.prepare(document, canvas)
    if document.Outlines.ready < 0:
        document.Catalog.Outlines = None
    _clean_to_unicode(document)
    catalog, info = document.Reference(document.Catalog), document.Reference(document.info)
    major, minor = document._pdfVersion
    chunks = [b"%%PDF-%d.%d\n%%\xe2\xe3\xcf\xd3\n" % (major, minor)]
    offset = len(chunks[0])
    offsets = []
    number = 0
    while True:  # objects may register more objects while they are formatted
        number += 1
        name = document.numberToId.get(number)
        if name is None:
            break
        obj = document.idToObject[name]
        body = _object(obj, document)
        chunk = (
            b"%d 0 obj\n" % number + body + (b"endobj\n" if body.endswith(b"\n") else b"\nendobj\n")
        )
        offsets.append(offset)
        offset += len(chunk)
        chunks.append(chunk)
    digest = hashlib.md5(b"".join(chunks), usedforsecurity=False).hexdigest().encode()
    xref = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)]
    xref += [b"%010d 00000 n \n" % at for at in offsets]
    trailer = (
        b"trailer\n<< /Size %d /Root %s /Info %s /ID [ <%s> <%s> ] >>\nstartxref\n%d\n%%%%EOF\n"
        % (
            len(offsets) + 1,
            catalog.format(document),
            info.format(document),
            digest,
            digest,
            offset,
        )
    )
    return b"".join([*chunks, *xref, trailer])


def _xmp(meta: Meta) -> str:
    e = escape
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt>
    <rdf:li xml:lang="x-default">{e(meta.subject)}</rdf:li>
   </rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{e(meta.language)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{e(meta.keywords)}</pdf:Keywords>
   <pdf:Producer>{e(meta.producer)}</pdf:Producer>
   <xmp:CreatorTool>{e(meta.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{meta.date}</xmp:CreateDate>
   <xmp:ModifyDate>{meta.date}</xmp:ModifyDate>
   <xmp:MetadataDate>{meta.date}</xmp:MetadataDate>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
