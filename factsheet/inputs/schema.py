"""Every content key in one place: its type, whether it is required and what it means.

``docs/content.md`` is generated from this module (``python -m factsheet.inputs.schema``);
a test fails when the two differ. Kinds: ``text`` (string, may hold placeholders), ``int``,
``number`` (whole or decimal), ``date`` (YYYY-MM-DD), ``yearref`` (``year``, ``year-N`` or a
four-digit year), ``id`` (indicator id), ``bool``, ``str`` (any string, may be empty),
``list[K]``, ``map[K]`` (keys are names you choose), ``obj:NAME`` (an object below),
``blocks`` (the body's block list), ``enum:a|b`` (one of the words listed).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

CLAIM_RULES = (
    "increasing",
    "decreasing",
    "increased",
    "decreased",
    "stable",
    "between",
    "higher",
    "lower",
    "none",
)


@dataclass(frozen=True)
class Key:
    name: str
    kind: str
    required: bool
    doc: str


# A sheet: its name, or its name with a header row of its own.
_SHEET = "either:text or obj:sheet"

OBJECTS: dict[str, list[Key]] = {
    "document": [
        Key("year", "int", True, "The survey year. Drives the title, table years and metadata."),
        Key(
            "published", "date", True, "Publication date; the PDF's creation and modification date."
        ),
        Key("language", "text", True, "Document language, e.g. `sv-SE`."),
        Key("workbook", "text", True, "Workbook file name, relative to the content folder."),
        Key(
            "pages",
            "either:pages or obj:pages",
            True,
            "Page budget: the build fails when the content needs more pages. A number for "
            "every sheet, or one per kind of sheet (`{riket: 4, county: 4, municipality: 5}`).",
        ),
        Key("metadata", "obj:metadata", True, "PDF document information."),
        Key("labels", "obj:labels", True, "Words the layout adds (captions, footer, marks)."),
        Key(
            "literal_numbers",
            "list[obj:literal]",
            False,
            "Numbers allowed in the prose outside placeholders because they are not survey "
            "results (phone numbers, periods in questions, names).",
        ),
        Key("title", "text", True, "The title on page 1."),
        Key("ingress", "text", True, "The lead paragraph under the title."),
        Key("side_box", "obj:side_box", True, "The shaded box beside the first section on page 1."),
        Key("body", "blocks", True, "The body, in reading order. See *Blocks*."),
        Key("footnotes", "map[text]", False, "Footnotes by key; called with `{note:KEY}`."),
        Key(
            "references",
            "map[obj:reference_entry]",
            False,
            "Reference list entries by key; called with `{ref:KEY}`, numbered by first call. "
            "Each names its author, year and title (a reference without them is an error).",
        ),
        Key(
            "tables", "map[obj:table]", False, "Table definitions by id; placed with `- table: ID`."
        ),
        Key(
            "figures",
            "map[obj:figure]",
            False,
            "Figure definitions by id; placed with `- figure: ID`.",
        ),
        Key("variants", "obj:variants", False, "Text used only in area variants (county sheets)."),
        Key(
            "hyphenation",
            "obj:hyphenation",
            False,
            "Exceptions to the hyphenation of justified body text (words of 7+ letters, 3+ on "
            "each side, compound joints first, at most 2 hyphenated line ends in a row).",
        ),
        Key(
            "claims",
            "list[obj:claim]",
            False,
            "Trend and comparison words of the prose bound to a rule over riket's values; "
            "`factsheet check` warns when the data no longer supports them. See "
            "[authoring.md](authoring.md#claims-trend-and-comparison-words).",
        ),
    ],
    "claim": [
        Key(
            "words",
            "text",
            True,
            "The words as they stand in the prose (case and line breaks do not matter), "
            "e.g. `allt fler`. The claim applies to every sentence that holds them.",
        ),
        Key(
            "sentences",
            "int",
            False,
            "How many sentences hold the words (default 1); `check` warns when the text has "
            "another number, so a new sentence with the same words is not checked silently.",
        ),
        Key(
            "in",
            "text",
            False,
            "Other words of the sentence meant, when `words` also stand in other sentences.",
        ),
        Key(
            "indicator",
            "id",
            False,
            "The indicator the words are about (riket's values); every rule but `none`.",
        ),
        Key(
            "rule",
            "enum:" + "|".join(CLAIM_RULES),
            True,
            "`increasing` / `decreasing` (every year higher / lower than the year before, "
            "`from` to `to`), `increased` / `decreased` (`to` higher / lower than `from`), "
            "`stable` (all years `from`–`to` within `max_change`), `between` (`min`–`max` in "
            "`year`), `higher` / `lower` (than the indicator `than` in `year`), `none` (the words "
            "state nothing about the workbook's data: `reason` says why).",
        ),
        Key(
            "reason",
            "text",
            False,
            "Why the words need no rule (`rule: none`, required there), e.g. "
            "`about the publication, not the data`.",
        ),
        Key("from", "yearref", False, "First year of a trend: `year-N` or a four-digit year."),
        Key("to", "yearref", False, "Last year of a trend (default `year`)."),
        Key("year", "yearref", False, "Year of `between`, `higher` and `lower` (default `year`)."),
        Key("min", "number", False, "`between`: the lowest value the words allow (inclusive)."),
        Key("max", "number", False, "`between`: the highest value the words allow (inclusive)."),
        Key(
            "max_change",
            "number",
            False,
            "Trends: the change from `from` to `to` is at most this many percentage points "
            "(`en liten minskning`); `stable`: the spread of the years' values.",
        ),
        Key(
            "min_change",
            "number",
            False,
            "Trends: the change from `from` to `to` is at least this many percentage points.",
        ),
        Key("than", "id", False, "`higher` / `lower`: the indicator compared with."),
    ],
    "variants": [
        Key("county", "obj:county_variant", True, "The county (län) variant."),
        Key(
            "municipality",
            "obj:municipality_variant",
            False,
            "The kommun (and Stockholm stadsdel) variant.",
        ),
    ],
    "municipality_variant": [
        Key(
            "single_unit",
            "obj:single_unit",
            False,
            "Texts for a län with a single kommun (Gotland), replacing the ones above there: "
            'no "1 av länets 1 kommuner", no kommun compared with itself.',
        ),
        Key(
            "meta_title",
            "text",
            False,
            "The PDF's title (window bar, Info and XMP) in this variant: "
            "`Öppna jämförelser {year} – … – {area}`. The national `metadata.title` otherwise.",
        ),
        Key(
            "meta_subject",
            "text",
            False,
            "The PDF's subject in this variant, naming the area; the national one otherwise.",
        ),
        Key(
            "subtitle",
            "text",
            True,
            "Line under the title: `{area} jämfört med {county} och riket`.",
        ),
        Key("unit", "text", True, "Unit line of every table in the variant."),
        Key("answers", "obj:answer_words", True, "How the kommun's own answers are printed."),
        Key(
            "answer_levels",
            "bool",
            False,
            "In a table, print the kommun's answer as the workbook writes it where the "
            "workbook keeps three levels (`answer_maps.<id>.levels`): `Ja, för alla`, "
            "`Ja, men inte för alla`, `Nej`; `answers` elsewhere, and in sentences. Default "
            "false.",
        ),
        Key("riket_header", "text", True, "Header over the riket columns."),
        Key("comparison", "obj:comparison", True, "How `{compare:ID}` chooses its words."),
        Key("heading", "text", True, "Heading of the area section."),
        Key("sentences", "list[obj:sentence]", True, "Sentences of the area section, in order."),
    ],
    "answer_words": [
        Key("yes", "text", True, "A yes answer in a table cell, e.g. `Ja`."),
        Key("no", "text", True, "A no answer, e.g. `Nej`."),
        Key("missing", "text", True, "No answer in a table cell, e.g. `–`."),
        Key("missing_words", "text", True, "No answer in a sentence, e.g. `uppgift saknas`."),
    ],
    "county_variant": [
        Key(
            "single_unit",
            "obj:single_unit",
            False,
            "Texts for a län with a single kommun (Gotland), replacing the ones above there: "
            'no "1 av länets 1 kommuner", no kommun compared with itself.',
        ),
        Key(
            "meta_title",
            "text",
            False,
            "The PDF's title (window bar, Info and XMP) in this variant: "
            "`Öppna jämförelser {year} – … – {area}`. The national `metadata.title` otherwise.",
        ),
        Key(
            "meta_subject",
            "text",
            False,
            "The PDF's subject in this variant, naming the area; the national one otherwise.",
        ),
        Key(
            "subtitle",
            "text",
            True,
            "Line under the title naming the area: `{area} jämfört med riket`.",
        ),
        Key(
            "unit",
            "text",
            True,
            "Unit line of every table in a variant (replaces the table's `unit`).",
        ),
        Key(
            "count_header",
            "text",
            True,
            "Header of the count column, e.g. `Ja av svarande {year}`.",
        ),
        Key("count", "text", True, "Count cell: `{yes} av {answered}`."),
        Key("riket_header", "text", True, "Header over the riket columns, e.g. `Riket`."),
        Key("comparison", "obj:comparison", True, "How `{compare:ID}` chooses its words."),
        Key("heading", "text", True, "Heading of the area section (`- area_section: variant`)."),
        Key("sentences", "list[obj:sentence]", True, "Sentences of the area section, in order."),
    ],
    "single_unit": [
        Key("subtitle", "text", False, "Replaces the variant's `subtitle`."),
        Key("heading", "text", False, "Replaces the variant's `heading`."),
        Key("meta_subject", "text", False, "Replaces the variant's `meta_subject`."),
        Key(
            "unit",
            "text",
            False,
            "Replaces the variant's `unit`. A kommun that is its län (Gotland) has no län "
            "columns: if the variant's `unit` names `{county}`, this is required.",
        ),
        Key(
            "answers",
            "obj:answer_words",
            False,
            "A län's sheet: its kommun's answers in words in the tables, instead of shares "
            "(0 or 100) of one kommun.",
        ),
        Key("sentences", "list[obj:sentence]", False, "Replace the variant's `sentences`."),
    ],
    "comparison": [
        Key(
            "threshold",
            "int",
            True,
            "Percentage points: printed values that differ by at most this much are `same`.",
        ),
        Key("higher", "text", True, "Words when the area is higher, e.g. `högre än`."),
        Key("lower", "text", True, "Words when the area is lower, e.g. `lägre än`."),
        Key("same", "text", True, "Words when they are level, e.g. `i nivå med`."),
    ],
    "sentence": [
        Key(
            "text",
            "text",
            True,
            "The sentence, with area placeholders (`{area:ID}`, `{compare:ID}`).",
        ),
        Key(
            "missing",
            "text",
            False,
            "Used instead when a value in `text` is missing (suppressed) for the area, or when "
            "the kommun did not give the `answer`.",
        ),
        Key(
            "answer",
            "id",
            False,
            "A yes/no indicator whose answer chooses the sentence in a kommun sheet (or a län of "
            "one kommun): `text` for yes, `no` for no, `missing` for no answer.",
        ),
        Key("no", "text", False, "Used instead of `text` when the kommun answered no to `answer`."),
        Key(
            "then",
            "obj:sentence",
            False,
            "A sentence that follows in the same item, with its own `missing` (e.g. the län's and "
            "riket's shares beside a kommun's answer).",
        ),
    ],
    "hyphenation": [
        Key(
            "words",
            "list[text]",
            False,
            "Domain words with their break points marked by `-` (`socionom-examen`): such a "
            "word, and its inflected forms, break only there; each marked part of 4+ letters "
            "is a compound joint preferred in other words (`utveckling`).",
        ),
        Key("never", "list[text]", False, "Words never broken (names of organisations)."),
    ],
    "reference_entry": [
        Key("author", "text", True, "Author or issuing body, e.g. `Socialstyrelsen`."),
        Key("year", "int", True, "Year of publication."),
        Key("title", "text", True, "Title of the publication, with its subtitle."),
        Key("series", "text", False, "Series and number, e.g. `Rapport 2021:2`, `SOSFS 2014:2`."),
        Key("url", "text", False, "Where the publication can be read, when it has an address."),
    ],
    "metadata": [
        Key("title", "text", True, "Document title (Info dictionary and XMP)."),
        Key("author", "text", True, "Author, e.g. Socialstyrelsen."),
        Key("subject", "text", True, "Subject line."),
        Key("keywords", "list[text]", False, "Keywords."),
    ],
    "labels": [
        Key("table", "text", True, "Word before a table number: `Tabell`."),
        Key("figure", "text", True, "Word before a figure number: `Figur`."),
        Key("references", "text", True, "Heading of the reference list."),
        Key("footer", "text", True, "Running footer text."),
        Key("page", "text", True, "Page number text with `{page}` and `{pages}`."),
        Key(
            "synthetic", "text", True, "Mark printed on every page built from a synthetic workbook."
        ),
        Key("missing", "text", True, "Shown in a chart where an area has no value."),
        Key(
            "not_asked",
            "text",
            False,
            "Table note when a row's indicator is new and earlier years print `–`.",
        ),
        Key(
            "years_shown",
            "text",
            False,
            "Added to a variant table's unit line when it shows fewer years than the "
            "national table (columns would not fit): `{years}` the years shown.",
        ),
        Key(
            "note_link",
            "text",
            True,
            "Description of a footnote call's link for assistive technology: `Fotnot {n}`.",
        ),
        Key(
            "reference_link",
            "text",
            True,
            "Description of a reference call's link: `Referens {n}`.",
        ),
        Key(
            "units_word",
            "text",
            False,
            "What a variant's `{units_word}` prints for a län whose units are its kommuner: "
            "`kommuner`.",
        ),
        Key(
            "units_word_districts",
            "text",
            False,
            "What `{units_word}` prints for a län whose units include stadsdelar (Stockholms "
            "län): `kommuner och stadsdelar`.",
        ),
        Key(
            "note_back",
            "text",
            False,
            "Description of the link from a footnote's number back to its call: "
            "`Tillbaka till texten vid fotnot {n}`. Without it the number links nowhere.",
        ),
        Key(
            "figure_area",
            "text",
            False,
            "Head of the first column of a chart's data table (`Område`): each chart's values "
            "are also a table that assistive technology reads (visually hidden). No such table "
            "without it.",
        ),
        Key(
            "figure_year",
            "text",
            False,
            "Head of the first column of a trend chart's data table (`År`).",
        ),
    ],
    "literal": [
        Key("text", "text", True, "The exact text, digits included, as it appears in the prose."),
        Key("why", "text", True, "Why it is not a survey result."),
    ],
    "side_box": [
        Key("heading", "text", True, "Box heading."),
        Key("items", "list[text]", True, "Bullet points."),
    ],
    "contact": [
        Key("heading", "text", True, "Heading, e.g. `Kontakt:`."),
        Key("lines", "list[text]", True, "One line each; e-mail addresses become links."),
    ],
    "table": [
        Key(
            "caption",
            "text",
            True,
            "Caption after `Tabell N.`; `{years}` is the table's year span.",
        ),
        Key("unit", "text", True, "Unit line under the caption."),
        Key("header", "text", True, "Heading of the label column."),
        Key("years", "obj:years", True, "Years shown, as columns."),
        Key(
            "rows",
            "either:list[obj:row] or obj:area_rows",
            True,
            "Rows: a list of indicators (label and indicator), or `{areas: counties, "
            "indicator: ID}` for one row per län (riket last) of one indicator.",
        ),
        Key("note", "text", False, "A note under the table, before the source line."),
        Key("source", "text", True, "Source line under the table."),
    ],
    "years": [
        Key("from", "yearref", True, "First year: `year-N` or a four-digit year."),
        Key("to", "yearref", True, "Last year: `year` or a four-digit year."),
    ],
    "area_rows": [
        Key("areas", "enum:counties", True, "`counties`: one row per län, then riket."),
        Key("indicator", "id", True, "The indicator shown in every row."),
        Key("total", "text", True, "Label of the last row, riket's: `Riket`."),
    ],
    "pages": [
        Key("riket", "pages", True, "Pages of the national sheet."),
        Key("county", "pages", False, "Pages of a county sheet (default: as riket)."),
        Key("municipality", "pages", False, "Pages of a kommun sheet (default: as county)."),
    ],
    "row": [
        Key("label", "text", True, "Row label."),
        Key("indicator", "id", True, "Indicator id in the workbook."),
    ],
    "figure": [
        Key(
            "kind",
            "enum:bars|grouped-bars|trend",
            False,
            "`bars` (default): one bar per area of one indicator in one year; `grouped-bars`: "
            "one bar per indicator of `indicators` for every län; `trend`: riket's values over "
            "`years`, one line per indicator of `indicators` (a variant adds its area's line).",
        ),
        Key("caption", "text", True, "Caption after `Figur N.`; `{year}`/`{years}` the figure's."),
        Key("indicator", "id", False, "`bars`: the indicator shown."),
        Key("indicators", "list[id]", False, "`grouped-bars`, `trend`: the indicators shown."),
        Key(
            "legend",
            "list[text]",
            False,
            "`grouped-bars`, `trend`: the name of each indicator in the legend, in order.",
        ),
        Key(
            "level",
            "enum:county|municipality",
            False,
            "`bars`: the areas shown: `county` (default, every län) or `municipality` (the "
            "kommuner and stadsdelar of `county`, or of every län; a ratio measure).",
        ),
        Key("county", "str", False, "`level: municipality`: the län whose kommuner are shown."),
        Key(
            "max_bars",
            "int",
            False,
            "`level: municipality`: at most this many bars (default 30); more is an error in the "
            "national sheet, and a variant then shows the län chart.",
        ),
        Key("year", "yearref", False, "`bars`, `grouped-bars`: the year shown (default `year`)."),
        Key("years", "obj:years", False, "`trend`: the years shown."),
        Key(
            "order",
            "enum:value-descending|value-ascending|code",
            False,
            "Bar order: `value-descending` (default), `value-ascending` or `code`.",
        ),
        Key(
            "reference",
            "obj:reference",
            False,
            "`bars`: the riket reference line; `trend`: the label of riket's line.",
        ),
        Key("axis_label", "text", True, "Value axis label."),
        Key(
            "missing_order",
            "enum:nonresponse|code|name",
            False,
            "Order of areas without a value in `{missing:...}`: `nonresponse` (default; highest "
            "share of non-responding units first), `code` or `name`.",
        ),
        Key("note", "text", False, "Note under the figure, e.g. about missing counties."),
        Key("source", "text", True, "Source line."),
        Key("alt", "text", True, "Alternative text (accessibility), with placeholders."),
        Key(
            "variants",
            "obj:figure_variants",
            False,
            "What the figure says in a county or kommun sheet (area placeholders allowed).",
        ),
    ],
    "figure_variants": [
        Key("county", "obj:figure_variant", False, "In a county sheet."),
        Key("municipality", "obj:figure_variant", False, "In a kommun (or stadsdel) sheet."),
    ],
    "figure_variant": [
        Key(
            "level",
            "enum:county|municipality",
            False,
            "`municipality`: the kommuner and stadsdelar of the sheet's län, its own "
            "highlighted (when no more than `max_bars`; else the figure as in riket).",
        ),
        Key("caption", "text", False, "Caption instead of the figure's."),
        Key("note", "text", False, "Note instead of the figure's."),
        Key(
            "chart_alt",
            "text",
            False,
            "`level: municipality`: the alt text of the kommun chart (its kind, range and "
            "reference line: `{unitmaxname:ID}`, `{unitmax:ID}`, `{unitminname:ID}`, "
            "`{unitmin:ID}` name the highest and lowest of the län's kommuner and stadsdelar), "
            "instead of its caption; `alt` is added to it.",
        ),
        Key("alt", "text", False, "Added to the alt text: a sentence about the area."),
        Key("alt_missing", "text", False, "Added instead when the area has no value."),
        Key(
            "county_alt",
            "text",
            False,
            "`level: municipality`: added to the alt text when the sheet shows the län chart "
            "instead (too many kommuner, or a kommun that is its län), about the län it "
            "highlights: `{county} har {county:ID} procent.` Required for a kommun sheet that "
            "shows the län chart (Gotland always does): without it the alt text would not "
            "name the highlighted län.",
        ),
        Key("county_alt_missing", "text", False, "Added instead when the län has no value."),
    ],
    "reference": [
        Key("label", "text", True, "Label of the reference line, e.g. `Riket`."),
    ],
}

WORKBOOK_OBJECTS: dict[str, list[Key]] = {
    "workbook_layout": [
        Key("sheets", "obj:sheets", True, "Sheet names."),
        Key(
            "header_row",
            "int",
            False,
            "Row (1-based) holding the column headers on every sheet (default 1); a sheet "
            "may give its own under `sheets:`.",
        ),
        Key(
            "header_label",
            "text",
            False,
            "Find the header row instead: the first row whose first cell holds this text "
            "(e.g. `K-kod`).",
        ),
        Key(
            "header_rows",
            "int",
            False,
            "2 when a second header row follows (indicator over year, the top cell merged "
            "across its years): the two are read as one header `top bottom`.",
        ),
        Key(
            "stop_at_non_code",
            "bool",
            False,
            "The data ends at the first row whose code cell is not an area code (a `Källa:` "
            "row, notes under the table).",
        ),
        Key(
            "wide_years",
            "text",
            False,
            "Year columns side by side: the header pattern of a column, with `{id}` (or "
            "`{name}`, the indicator's name) and `{year}`, e.g. `{id} {year}`; no year column.",
        ),
        Key(
            "text_numbers",
            "bool",
            False,
            "Numbers may be written as text (`82,5`, `1 234` with a no-break space).",
        ),
        Key("columns", "obj:columns", False, "Column headers."),
        Key(
            "ratio_columns",
            "obj:ratio_columns",
            False,
            "Unit headers of the counts behind a ratio measure; `{id}` is the indicator id "
            "(needed with a `municipality` or `all` sheet).",
        ),
        Key("answers", "obj:answers", True, "How yes/no answers and non-response are written."),
        Key(
            "answer_maps",
            "map[obj:answer_map]",
            False,
            "Answers of one indicator written otherwise (three levels, 1/0), by indicator id.",
        ),
        Key("methods", "obj:methods", True, "Values of the method column."),
        Key(
            "indicators",
            "map[obj:indicator]",
            False,
            "Indicators described here instead of in a sheet (a tidy CSV, Kolada, "
            "descriptions published in a PDF), by id.",
        ),
        Key(
            "stadsdelar",
            "map[str]",
            False,
            "Stadsdel name -> code (`0180-01`), for names the bundled list does not know.",
        ),
        Key(
            "kolada",
            "obj:kolada",
            False,
            "Reading a saved Kolada v3 export (`--workbook export.json`).",
        ),
        Key(
            "response_indicator",
            "id",
            True,
            "Indicator whose Ja/Nej says whether a unit answered; computed over all units "
            "when riket and län are computed from unit rows.",
        ),
        Key(
            "suppression_threshold",
            "int",
            True,
            "A län has no value when more than this percentage of its units lack one "
            "(when riket and län are computed from unit rows).",
        ),
        Key(
            "synthetic_marker",
            "text",
            True,
            "Text in cell A1 of a sheet (first line of a CSV) that marks the data as synthetic.",
        ),
    ],
    "sheets": [
        Key("indicators", _SHEET, False, "Indicator descriptions."),
        Key("riket", _SHEET, False, "National values."),
        Key("county", _SHEET, False, "Values per län."),
        Key("municipality", _SHEET, False, "Answers and counts per kommun and stadsdel."),
        Key("all", _SHEET, False, "Riket, län, kommun and stadsdel rows in one sheet."),
        Key("tidy", _SHEET, False, "The tidy table in a sheet (columns as in a tidy CSV)."),
    ],
    "sheet": [
        Key("name", "text", True, "The sheet's name."),
        Key(
            "header_row",
            "int",
            False,
            "This sheet's header row, instead of the layout's `header_row`/`header_label`.",
        ),
        Key(
            "header_label",
            "text",
            False,
            "Find this sheet's header row by the text of its first cell instead.",
        ),
    ],
    "answer_map": [
        Key("yes", "list[str]", True, "Texts (or numbers written as text, `'2'`) meaning yes."),
        Key("no", "list[str]", True, "Texts meaning no."),
        Key("missing", "list[str]", False, "Texts meaning no answer (default: `answers`)."),
        Key(
            "levels",
            "bool",
            False,
            "Keep the answer as written (`Ja, för alla`), for tables that show it.",
        ),
    ],
    "indicator": [
        Key("name", "text", True, "Indicator name."),
        Key("type", "text", True, "indikator, bakgrundsmått or svarsfrekvens."),
        Key("unit", "text", True, "Unit."),
        Key("description", "str", False, "Description."),
        Key("method", "text", True, "How area values are computed (see `methods`)."),
    ],
    "kolada": [
        Key("kpis", "map[id]", True, "Kolada KPI id -> indicator id."),
        Key(
            "yes",
            "list[number]",
            True,
            "Values meaning yes (Kolada codes answers as numbers: 1/0, or 2/1/0 for three levels).",
        ),
        Key("no", "list[number]", True, "Values meaning no."),
        Key(
            "counts",
            "map[obj:kolada_counts]",
            False,
            "Ratio measures: the KPIs of the numerator and denominator, by indicator id.",
        ),
    ],
    "kolada_counts": [
        Key("numerator", "text", True, "KPI of the numerator count."),
        Key("denominator", "text", True, "KPI of the denominator count."),
    ],
    "columns": [
        Key("id", "text", False, "Indicator id (indicator sheet: `id` to `method` needed)."),
        Key("name", "text", False, "Indicator name."),
        Key("type", "text", False, "indikator, bakgrundsmått or svarsfrekvens."),
        Key("unit", "text", False, "Unit."),
        Key("description", "text", False, "Description."),
        Key("method", "text", False, "How area values are computed (see `methods`)."),
        Key(
            "area_code",
            "text",
            False,
            "Area code on the result sheets (text, leading zeros kept); needed with them.",
        ),
        Key("area_name", "text", False, "Area name (a stadsdel is found by its name)."),
        Key("year", "text", False, "Year (not with `wide_years`)."),
        Key(
            "municipality_code",
            "text",
            False,
            "Kommun code of a unit (0180 for a stadsdel), checked against the area lists.",
        ),
        Key("county_code", "text", False, "Län code of a unit, checked against the area lists."),
    ],
    "ratio_columns": [
        Key(
            "numerator",
            "text",
            True,
            "Header of the numerator count, e.g. `{id} varav socionomexamen`.",
        ),
        Key("denominator", "text", True, "Header of the denominator count."),
    ],
    "answers": [
        Key("yes", "list[str]", True, "Texts meaning yes."),
        Key("no", "list[str]", True, "Texts meaning no."),
        Key("missing", "list[str]", True, "Texts meaning no answer (an empty cell always does)."),
    ],
    "methods": [
        Key(
            "share", "text", True, "Method value of yes/no measures (share of units answering Ja)."
        ),
        Key("ratio", "text", True, "Method value of ratio measures (summed counts)."),
    ],
}

BLOCKS: list[Key] = [
    Key("heading", "text", False, "Section heading (sentence style)."),
    Key("subheading", "text", False, "Smaller heading."),
    Key("paragraph", "text", False, "A justified paragraph."),
    Key(
        "table",
        "text",
        False,
        "Places the table with this id; `{table:ID}` in a text prints its number.",
    ),
    Key(
        "figure",
        "text",
        False,
        "Places the figure with this id; `{figure:ID}` in a text prints its number.",
    ),
    Key("page_break", "bool", False, "`true`: the next block starts a new page."),
    Key(
        "start_page",
        "int",
        False,
        "N: the next block starts page N, unless the content before already reached page N.",
    ),
    Key("contact", "obj:contact", False, "A contact block."),
    Key("box", "blocks", False, "A shaded box holding blocks."),
    Key("references", "text", False, "The numbered reference list, with this heading."),
    Key(
        "area_section",
        "text",
        False,
        "`variant`: the variant's area section (heading, sentences); nothing in the national "
        "sheet.",
    ),
]


def lookup(name: str) -> list[Key]:
    """The keys of object ``name`` (content or workbook layout)."""
    return OBJECTS.get(name) or WORKBOOK_OBJECTS[name]


def _object_tables(objects: dict[str, list[Key]]) -> list[str]:
    out = []
    for name, keys in objects.items():
        out += [f"### `{name}`", "", "| key | kind | required | meaning |", "|---|---|---|---|"]
        out += [
            f"| `{k.name}` | {k.kind} | {'yes' if k.required else 'no'} | {k.doc} |" for k in keys
        ]
        out.append("")
    return out


SHAPE_PICTURES = (
    (
        "figures.ID.kind: bars (default), in a county sheet: the county highlighted",
        "shape-bars.png",
    ),
    ("figures.ID.kind: trend, in a county sheet: its lines beside riket's", "shape-trend.png"),
    ("figures.ID.kind: grouped-bars", "shape-grouped-bars.png"),
    ("tables.ID.rows: {areas: counties}, in the Uppsala län sheet", "shape-county-rows.png"),
    ("A table row of a new indicator: dashes and the table note", "shape-new-indicator.png"),
)


def markdown() -> str:
    """The content reference as Markdown (docs/content.md)."""
    out = [
        "# Content reference",
        "",
        "Generated from `factsheet/inputs/schema.py` by "
        "`python -m factsheet.inputs.schema > docs/content.md`.",
        'An unknown key is an error. Area codes and ids are text: quote them (`"03"`).',
        "",
    ]
    out += [
        "## What each kind looks like",
        "",
        "Worked examples of each kind, with the YAML that makes them, are in "
        "[authoring.md](authoring.md#sheet-shapes-tables-figures-and-variants).",
        "",
        *(f"![{alt}]({image})" for alt, image in SHAPE_PICTURES),
        "",
    ]
    out += ["## The edition: `lss.yaml`", "", *_object_tables(OBJECTS)]
    out += ["## Blocks", "", "Each item of `body` (and of a `box`) is a mapping with one key:", ""]
    out += ["| key | kind | meaning |", "|---|---|---|"]
    out += [f"| `{k.name}` | {k.kind} | {k.doc} |" for k in BLOCKS]
    out += [
        "",
        "Any block may also carry `only: [riket, county, municipality]`: it is then placed only in "
        "those kinds of sheet (tables and figures are numbered in each sheet as placed).",
    ]
    out += ["", "## The workbook layout: `workbook.yaml`", "", *_object_tables(WORKBOOK_OBJECTS)]
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(markdown())
