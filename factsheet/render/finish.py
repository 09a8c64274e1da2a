"""Make the PDF that ReportLab wrote tagged and archival: PDF/UA-1 and PDF/A-2b.

ReportLab writes the pages, with marked content from ``tagging.py``; it has no structure tree,
XMP metadata or output intent. This step adds them with pikepdf (qpdf), which also rewrites the
file with exact stream lengths and line ends as PDF/A requires:

- the structure tree from the ``Tagger`` (StructTreeRoot, StructElem with /K, /Pg, /Alt, /A,
  /ID, /Headers; ParentTree; /StructParents and /Tabs /S on pages; link annotations as OBJR
  of Link elements, with /StructParent, /Contents and the print flag);
- /MarkInfo, /ViewerPreferences /DisplayDocTitle, /Lang;
- XMP metadata (Dublin Core, xmp, pdf, pdfaid part 2 conformance B, pdfuaid part 1 with its
  extension schema) matching the Info dictionary;
- an sRGB output intent (``data/sRGB.icc``, the sRGB profile of LittleCMS).

The output is deterministic: the file ID is derived from the content.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

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


def finish(pdf_bytes: bytes, tagger: Tagger, meta: Meta) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        _structure(pdf, tagger)
        _catalog(pdf, meta)
        _clean_to_unicode(pdf)
        _compress_streams(pdf)
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            fix_metadata_version=False,
            compress_streams=False,  # done by _compress_streams
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            recompress_flate=False,
        )
    return out.getvalue()


class _TreeWriter:
    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.pages = list(pdf.pages)
        self.by_mcid: dict[int, dict[int, Any]] = {}
        self.annots: list[tuple[Any, Any, str]] = []  # (annotation, element, contents)
        self.ids: dict[str, Any] = {}  # /ID -> element, for the IDTree

    def element(self, node: Node, parent: Any) -> Any:
        tag = node.tag
        elem = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name("/" + tag.role), P=parent)
        )
        kids = Array()
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(self.element(kid, elem))
                continue
            kind, page_number, index = kid
            page = self.pages[page_number - 1]
            if kind == "mcid":
                kids.append(Dictionary(Type=Name.MCR, Pg=page.obj, MCID=index))
                self.by_mcid.setdefault(page_number - 1, {})[index] = elem
            else:
                annotation = page.obj.Annots[index]
                kids.append(Dictionary(Type=Name.OBJR, Pg=page.obj, Obj=annotation))
                self.annots.append((annotation, elem, node.contents))
        elem.K = kids
        first_page = _first_page(node)
        if first_page:
            elem.Pg = self.pages[first_page - 1].obj
        if tag.alt:
            elem.Alt = String(tag.alt)
        if tag.ident:
            elem.ID = String(tag.ident)
            self.ids[tag.ident] = elem
        attrs = _attributes(tag.attrs, tag.headers)
        if attrs is not None:
            elem.A = attrs
        return elem


def _first_page(node: Node) -> int:
    for kid in node.kids:
        if isinstance(kid, tuple):
            return kid[1]
        page = _first_page(kid)
        if page:
            return page
    return 0


def _attributes(attrs: tuple[tuple[str, str], ...], headers: tuple[str, ...]) -> Any:
    if not attrs and not headers:
        return None
    table = Dictionary(O=Name.Table)
    for key, value in attrs:
        table[Name("/" + key)] = int(value) if value.isdigit() else Name("/" + value)
    if headers:
        table.Headers = Array([String(h) for h in headers])
    return table


def _structure(pdf: pikepdf.Pdf, tagger: Tagger) -> None:
    writer = _TreeWriter(pdf)
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = writer.element(tagger.root, root)
    root.K = Array([document])
    nums = Array()
    for index, page in enumerate(writer.pages):
        page.obj.StructParents = index
        page.obj.Tabs = Name.S
        mcids = writer.by_mcid.get(index, {})
        nums.append(index)
        nums.append(Array([mcids[m] for m in range(len(mcids))]))
    key = len(writer.pages)
    for annotation, elem, contents in writer.annots:
        annotation.StructParent = key
        annotation.Contents = String(contents)
        annotation.F = 4
        nums.append(key)
        nums.append(elem)
        key += 1
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = key
    if writer.ids:
        names: list[Any] = []
        for ident in sorted(writer.ids):
            names += [String(ident), writer.ids[ident]]
        root.IDTree = pdf.make_indirect(Dictionary(Names=Array(names)))
    pdf.Root.StructTreeRoot = root


_UNMAPPED = re.compile(rb"^<[0-9A-F]{2}> <0000>\r?\n", re.MULTILINE)
_BFCHAR = re.compile(rb"(\d+) beginbfchar")


def _clean_to_unicode(pdf: pikepdf.Pdf) -> None:
    """ReportLab's subset fonts map their unused codes to U+0000, which PDF/UA forbids: drop
    those entries (no text uses them) and fix the entry count."""
    for obj in pdf.objects:
        if not isinstance(obj, Dictionary) or "/ToUnicode" not in obj:
            continue
        stream = obj.ToUnicode
        data = stream.read_bytes()
        removed = len(_UNMAPPED.findall(data))
        if not removed:
            continue
        data = _UNMAPPED.sub(b"", data)
        count = _BFCHAR.search(data)
        if count:
            fixed = b"%d beginbfchar" % (int(count.group(1)) - removed)
            data = data[: count.start()] + fixed + data[count.end() :]
        stream.write(data)


def _compress_streams(pdf: pikepdf.Pdf) -> None:
    """Compress every stream here rather than in qpdf's writer, so that none ends with a CR
    byte: a compressed stream whose last byte is CR (about 1 in 256) reads, before
    ``endstream``, as data plus a CR LF line end, and a PDF/A validator then finds /Length one
    byte off. Such a stream is compressed at another level until it ends otherwise. The XMP
    metadata stays uncompressed, as PDF/A requires."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Type") == Name.Metadata:
            continue
        filtered = "/Filter" in obj
        if filtered and (
            obj.Filter != Name.FlateDecode or not obj.read_raw_bytes().endswith(b"\r")
        ):
            continue
        data = obj.read_bytes()
        for level in (6, 9, 8, 7, 5, 4, 3, 2, 1):
            packed = zlib.compress(data, level)
            if not packed.endswith(b"\r"):
                obj.write(packed, filter=Name.FlateDecode)
                break


def _catalog(pdf: pikepdf.Pdf, meta: Meta) -> None:
    root = pdf.Root
    root.MarkInfo = Dictionary(Marked=True)
    root.Lang = String(meta.language)
    root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    icc = resources.files("factsheet").joinpath("data", "sRGB.icc").read_bytes()
    profile = pdf.make_stream(icc, N=3)
    root.OutputIntents = Array(
        [
            Dictionary(
                Type=Name.OutputIntent,
                S=Name.GTS_PDFA1,
                OutputConditionIdentifier=String("sRGB IEC61966-2.1"),
                Info=String("sRGB IEC61966-2.1"),
                DestOutputProfile=profile,
            )
        ]
    )
    xmp = pdf.make_stream(_xmp(meta).encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML)
    root.Metadata = xmp


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
