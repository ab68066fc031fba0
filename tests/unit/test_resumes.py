"""Resume reading, cleaning and parsing: hand-written resumes, real PDF/DOCX files, and malformed input."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from docx import Document
from fpdf import FPDF

from tools.resumes import (
    ParsedResume,
    ResumeDocument,
    ResumeError,
    ResumeSkip,
    clean_text,
    iter_resume_documents,
    layout,
    parse_resume,
)
from tools.taxonomy import load

TODAY = dt.date(2025, 6, 15)
MAX = 10 * 1024 * 1024

RESUME = """Jane Doe
Senior Backend Engineer
jane.doe@example.com | +1 (555) 123-4567 | https://github.com/janedoe | linkedin.com/in/janedoe

Summary
Backend engineer with 8 years of experience building distributed systems in Python and Go.
I have strong communication skills and mentor junior engineers.
Reach me at jane.doe@example.com or www.janedoe.dev.

Skills
Python, Go, k8s, PostgreSQL, Docker, Terraform

Experience
Senior Backend Engineer, Acme Corp — Berlin
Jan 2020 – Present
- Run k8s clusters and PostgreSQL for the payments team.
- References on request: +49 30 1234 5678.

Backend Engineer at Beta GmbH (03/2016 - 12/2019)
- Built REST APIs in Python.

Education
M.Sc. Computer Science, Technical University of Munich, 2015
B.Sc. in Informatics — University of Vienna (2009 – 2012)

Certifications
AWS Certified Solutions Architect (2021)

Languages
English, German
"""

# Independent of the module's own patterns, so a regression there cannot hide itself.
EMAIL = re.compile(r"\S+@\S+\.\w+")
URL = re.compile(r"https?://|www\.|github\.com|linkedin\.com|\.dev\b", re.IGNORECASE)
PHONE = re.compile(r"\+?\(?\d[\d ()./-]{7,}\d")


def _is_phone(text: str) -> bool:
    return any(len(re.sub(r"\D", "", m.group())) >= 9 for m in PHONE.finditer(text))


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """"Present" means 2025-06-15 in these tests, so durations are exact."""
    monkeypatch.setattr(layout, "today", lambda: TODAY)


@pytest.fixture(scope="module")
def taxonomy():
    return load()


@pytest.fixture
def parsed(taxonomy) -> tuple[str, ParsedResume]:
    raw = clean_text(RESUME)
    return raw, parse_resume(raw, taxonomy)


def _text_fields(p: ParsedResume) -> list[str]:
    fields = [p.headline, p.summary, p.current_title or ""]
    fields += [m.surface for m in p.skills]
    for e in p.experiences:
        fields += [e.title or "", e.company or "", e.description]
    for ed in p.educations:
        fields += [ed.degree or "", ed.field_of_study or "", ed.school or ""]
    return fields


def _assert_spans_consistent(raw: str, p: ParsedResume) -> None:
    for m in p.skills:
        assert 0 <= m.start < m.end <= len(raw)
        assert raw[m.start:m.end] == m.surface
    for name, (start, end) in p.sections.items():
        assert 0 <= start <= end <= len(raw), name
    flat = re.sub(r"\s+", " ", raw)
    for e in p.experiences:
        start, end = e.span
        assert 0 <= start < end <= len(raw)
        entry = re.sub(r"\s+", " ", raw[start:end])
        for value in (e.title, e.company):
            if value:
                assert value in entry or value in flat
    for ed in p.educations:
        start, end = ed.span
        assert 0 <= start < end <= len(raw)
        entry = re.sub(r"\s+", " ", raw[start:end])
        for value in (ed.degree, ed.school):
            if value:
                assert value in entry


# ---- clean_text ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("NaÃ¯ve Bayes", "Naïve Bayes"),
        ("itâ€™s", "it’s"),  # cp1252 reading of a right quote
        ("â\x80¢ Python", "• Python"),  # Latin-1 reading leaves C1 controls behind
        ("Skills â\x9c\x93 SQL", "Skills ✓ SQL"),
        ("SQLÂ\xa0Server", "SQL Server"),  # a mis-decoded NBSP becomes a plain space
        ("Müller café résumé", "Müller café résumé"),  # real Latin-1 text is left alone
        ("Ã( and â€", "Ã( and â€"),  # not valid UTF-8 bytes: no repair
        ("e\u0301cole", "école"),  # NFC
        ("a\tb\u00a0c\u2009d", "a b c d"),
        ("x\x00y\x07z\x1b", "xyz"),
        ("line   with   layout   \nnext  \n", "line   with   layout\nnext"),
        ("win\r\nmac\rend", "win\nmac\nend"),
        ("\ufeffBOM", "BOM"),
        ("\uf0d8 symbol-font bullet", "• symbol-font bullet"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


# ---- parse_resume on a hand-written resume -------------------------------------------------------
def test_headline_and_summary(parsed) -> None:
    raw, p = parsed
    assert p.headline == "Senior Backend Engineer"
    assert p.summary.startswith("Backend engineer with 8 years of experience building distributed systems")
    assert "mentor junior engineers" in p.summary


def test_sections(parsed) -> None:
    raw, p = parsed
    assert set(p.sections) == {"summary", "skills", "experience", "education", "certifications", "languages"}
    skills = raw[slice(*p.sections["skills"])]
    # "communication skills" in the summary is not a heading
    assert skills == "Python, Go, k8s, PostgreSQL, Docker, Terraform"
    assert raw[slice(*p.sections["languages"])] == "English, German"
    assert raw[slice(*p.sections["experience"])].startswith("Senior Backend Engineer, Acme Corp")
    assert raw[slice(*p.sections["education"])].startswith("M.Sc. Computer Science")


def test_skills_canonical_with_verbatim_spans(parsed) -> None:
    raw, p = parsed
    by_name = {m.skill: m for m in p.skills}
    assert {"Kubernetes", "Python", "Go", "PostgreSQL", "Docker", "REST APIs"} <= set(by_name)
    k8s = by_name["Kubernetes"]
    assert k8s.surface == "k8s" and raw[k8s.start:k8s.end] == "k8s"
    assert k8s.start == raw.index("k8s")  # the first mention is kept
    assert len(by_name) == len(p.skills)  # distinct by canonical name


def test_experiences(parsed) -> None:
    _, p = parsed
    got = [(e.title, e.company, e.start, e.end, e.is_current) for e in p.experiences]
    assert got == [
        ("Senior Backend Engineer", "Acme Corp", dt.date(2020, 1, 1), None, True),
        ("Backend Engineer", "Beta GmbH", dt.date(2016, 3, 1), dt.date(2019, 12, 1), False),
    ]
    assert p.experiences[0].description.startswith("Run k8s clusters")
    assert p.experiences[1].description == "Built REST APIs in Python."
    assert p.current_title == "Senior Backend Engineer"


def test_educations(parsed) -> None:
    _, p = parsed
    got = [(e.degree, e.field_of_study, e.school, e.end_year) for e in p.educations]
    assert got == [
        ("M.Sc.", "Computer Science", "Technical University of Munich", 2015),
        ("B.Sc.", "Informatics", "University of Vienna", 2012),
    ]


def test_years_from_union_of_ranges(parsed, taxonomy) -> None:
    _, p = parsed
    # 03/2016..12/2019 and 01/2020..06/2025 (today) are contiguous: 112 months; the stated 8 years is less.
    assert p.years_experience == 9.3
    assert p.occupation_code == taxonomy.normalize_title("Senior Backend Engineer").code


def test_overlapping_ranges_are_not_double_counted() -> None:
    text = ("Experience\nEngineer, Acme Inc\n01/2010 - 12/2014\nBuilt things.\n"
            "Consultant, Beta LLC\n01/2012 - 12/2013\nAdvised.\n")
    assert parse_resume(clean_text(text)).years_experience == 5.0


def test_stated_years_when_no_dates() -> None:
    p = parse_resume("Summary\nSeasoned accountant with twelve years of experience in audit.\n")
    assert p.years_experience == 12.0 and p.experiences == []


def test_contact_data_absent_from_every_field(parsed) -> None:
    raw, p = parsed
    assert EMAIL.search(raw) and URL.search(raw) and _is_phone(raw)  # the input has all three
    assert p.contact_free
    for value in _text_fields(p):
        assert not EMAIL.search(value), value
        assert not URL.search(value), value
        assert not _is_phone(value), value


def test_spans_point_into_raw_text(parsed) -> None:
    raw, p = parsed
    _assert_spans_consistent(raw, p)


@pytest.mark.parametrize(
    ("dates", "start", "end", "current"),
    [
        ("Jan 2010 to Dec 2014", dt.date(2010, 1, 1), dt.date(2014, 12, 1), False),
        ("01/2012   to   Current", dt.date(2012, 1, 1), None, True),
        ("2014 to 2016", dt.date(2014, 1, 1), dt.date(2016, 1, 1), False),
        ("March 2015 – Present", dt.date(2015, 3, 1), None, True),
        ("Sept' 2017 - till date", dt.date(2017, 9, 1), None, True),
        ("16th Jan 2017 to 30th Aug 2018", dt.date(2017, 1, 1), dt.date(2018, 8, 1), False),
        ("2015-16", dt.date(2015, 1, 1), dt.date(2016, 1, 1), False),
        ("Jun 2014 — Now", dt.date(2014, 6, 1), None, True),
        ("since Jan 2012", dt.date(2012, 1, 1), None, True),
        ("since May 2015 to June 2016", dt.date(2015, 5, 1), dt.date(2016, 6, 1), False),
        ("12-2014 to 2019-03", dt.date(2014, 12, 1), dt.date(2019, 3, 1), False),
    ],
)
def test_date_range_forms(dates: str, start: dt.date, end: dt.date | None, current: bool) -> None:
    text = f"Experience\nSystems Analyst, Initech Inc\n{dates}\n- Kept systems running.\n"
    p = parse_resume(clean_text(text))
    assert [(e.title, e.company, e.start, e.end, e.is_current) for e in p.experiences] == [
        ("Systems Analyst", "Initech Inc", start, end, current)
    ]


def test_ranges_are_found_around_years_as_in_a_scan_of_the_whole_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """find_ranges scans only the words around each year; it must read what a scan of the whole text reads."""
    words = ["since", "from", "Jan", "January", "Sept'", "16th", "29,", "2017", "2015-16", "05/2019", "2019-05",
             "till", "date", "to", "-", "–", "—", "~", "up to", "still", "on", "going", "Present", "1999", "2050",
             "(", ")", "|", ":", ",", ".", "'", "/", "03", "12", "13", "until", "now", "Dec.", "x", "Analyst"]
    gaps = ["", " ", "  ", "\n", "-", "/", "        \n   "]
    rng = random.Random(11)
    texts = [RESUME] + ["".join(rng.choice(words) + rng.choice(gaps) for _ in range(rng.randint(1, 40)))
                        for _ in range(2000)]
    windowed = [layout.find_ranges(t, len(t) // 5) for t in texts]
    monkeypatch.setattr(layout, "_range_windows", lambda text, start, end: [(start, end)])
    assert windowed == [layout.find_ranges(t, len(t) // 5) for t in texts]
    assert sum(map(len, windowed)) > 300  # the texts do hold ranges


def test_livecareer_layout() -> None:
    """Headings and fields separated by runs of spaces, the anonymised "Company Name", "City , State"."""
    text = clean_text(
        "         INFORMATION TECHNOLOGY SPECIALIST         Summary     Dedicated IT professional with 9 "
        "years of experience.       Skills          Active Directory  Linux  Network Design            "
        "Experience      "
        "Company Name    City  ,   State    Senior IT Specialist   01/2012   to   Current        Managed "
        "patches and backups.           Company Name    City  ,   State    Systems Engineer   02/2006   to   "
        "12/2011        Built a Linux cluster.          Education and Training      Associate of Science  :  "
        "Electronic Engineering   1980     Florence Darlington Technical School  ,   City  ,   State     "
    )
    p = parse_resume(text)
    assert p.headline == "INFORMATION TECHNOLOGY SPECIALIST"
    assert set(p.sections) == {"summary", "skills", "experience", "education"}
    assert [(e.title, e.company, e.start, e.end, e.is_current) for e in p.experiences] == [
        ("Senior IT Specialist", "Company Name", dt.date(2012, 1, 1), None, True),
        ("Systems Engineer", "Company Name", dt.date(2006, 2, 1), dt.date(2011, 12, 1), False),
    ]
    assert p.experiences[0].description == "Managed patches and backups."
    assert [(e.degree, e.field_of_study, e.school, e.end_year) for e in p.educations] == [
        ("Associate of Science", "Electronic Engineering", "Florence Darlington Technical School", 1980)
    ]
    _assert_spans_consistent(text, p)


def test_kaggle_details_layout() -> None:
    """The Details export: glued headings, dated education rows, the "title - employer" profile block."""
    text = clean_text(
        "Skills * Python, SQL, Tableau * Machine learningEducation Details \n"
        "January 2016 to January 2018 M.Tech Computer Science Pune, Maharashtra Pune University\n"
        " B.E   Mumbai University\n"
        "Data Scientist \n\nData Scientist - Ernst & Young LLP\nSkill Details \n"
        "Python- Exprience - 24 monthsCompany Details \ncompany - Ernst & Young LLP\n"
        "description - Duration: Feb 2018 to Till Date\nBuilt fraud models with scikit-learn.\n"
        "company - Infosys\ndescription - Worked as Data Analyst in the retail team.\n"
    )
    p = parse_resume(text)
    assert p.headline == "Data Scientist"
    assert {"skills", "education", "experience"} <= set(p.sections)
    assert [(e.title, e.company, e.start, e.is_current) for e in p.experiences] == [
        ("Data Scientist", "Ernst & Young LLP", dt.date(2018, 2, 1), True),
        ("Data Analyst", "Infosys", None, False),
    ]
    assert [(e.degree, e.field_of_study, e.school, e.end_year) for e in p.educations] == [
        ("M.Tech", "Computer Science", "Pune University", 2018),
        ("B.E", None, "Mumbai University", None),
    ]
    # 02/2018..06/2025 is 89 months; the per-skill row states 24 months, a smaller lower bound.
    assert p.years_experience == 7.4
    _assert_spans_consistent(text, p)


def test_headings_need_heading_form() -> None:
    """Only title-case or upper-case phrases standing on their own are headings."""
    text = ("Summary\nGood at education and skills work.\nI list my experience below:\n"
            "Skills\nExcel\ntraining\nPROJECTS\nPayroll migration\n")
    p = parse_resume(text)
    assert set(p.sections) == {"summary", "skills", "projects"}
    assert text[slice(*p.sections["skills"])] == "Excel\ntraining"  # a lower-case item, not a heading
    assert text[slice(*p.sections["projects"])] == "Payroll migration"


def test_empty_and_contactless_text() -> None:
    p = parse_resume("jane@example.com\n+1 555 123 4567")
    assert p.headline == "" and p.experiences == [] and p.skills == []


# ---- readers -------------------------------------------------------------------------------------
def _only(path: Path, max_bytes: int = MAX) -> ResumeDocument | ResumeSkip:
    items = list(iter_resume_documents(path, max_bytes))
    assert len(items) == 1, items
    return items[0]


def _pdf_bytes(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_pdf(tmp_path: Path) -> None:
    ascii_resume = RESUME.replace("—", "-").replace("–", "-")
    (tmp_path / "jane.pdf").write_bytes(_pdf_bytes(ascii_resume.splitlines()))
    doc = _only(tmp_path / "jane.pdf")
    assert isinstance(doc, ResumeDocument) and doc.source == "jane.pdf"
    assert "Senior Backend Engineer" in doc.raw_text and doc.category is None
    p = parse_resume(doc.raw_text)
    assert "Kubernetes" in {m.skill for m in p.skills}
    assert [(e.company, e.start) for e in p.experiences] == [
        ("Acme Corp", dt.date(2020, 1, 1)), ("Beta GmbH", dt.date(2016, 3, 1))
    ]
    _assert_spans_consistent(doc.raw_text, p)


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("John Smith")
    document.add_paragraph("Data Engineer")
    document.add_heading("Experience", level=1)
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([("Data Engineer", "Globex Inc", "Jan 2019 - Present"),
                             ("Analyst", "Initech LLC", "06/2015 - 12/2018")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_heading("Skills", level=1)
    document.add_paragraph("Python, Apache Spark, Kafka")
    document.save(tmp_path / "john.docx")
    doc = _only(tmp_path / "john.docx")
    assert isinstance(doc, ResumeDocument)
    assert "Data Engineer | Globex Inc | Jan 2019 - Present" in doc.raw_text  # table rows, in order
    p = parse_resume(doc.raw_text)
    assert p.headline == "Data Engineer"
    assert [(e.title, e.company, e.start, e.end, e.is_current) for e in p.experiences] == [
        ("Data Engineer", "Globex Inc", dt.date(2019, 1, 1), None, True),
        ("Analyst", "Initech LLC", dt.date(2015, 6, 1), dt.date(2018, 12, 1), False),
    ]
    assert {"Python", "Apache Spark", "Apache Kafka"} <= {m.skill for m in p.skills}


TXT = "Léa Müller\nNaïve Bayes “expert” – café owner\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_txt_encodings(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "lea.txt").write_bytes(TXT.encode(encoding))
    doc = _only(tmp_path / "lea.txt")
    assert isinstance(doc, ResumeDocument)
    assert doc.raw_text == TXT.strip()


def test_csv_rows_with_category_id_and_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        'ID,Category,Resume_str\n'
        '101,Data Science,"Skills\nPython, NaÃ¯ve Bayes"\n'
        '102,HR,"   "\n'
        '103,,"Experience\nRecruiter, Hays plc\n2019 - Present"\n',
        encoding="utf-8",
    )
    items = list(iter_resume_documents(path, MAX))
    assert [type(i).__name__ for i in items] == ["ResumeDocument", "ResumeSkip", "ResumeDocument"]
    first, empty, third = items
    assert (first.source, first.category, first.external_id) == ("people.csv#row 1", "Data Science", "101")
    assert first.raw_text == "Skills\nPython, Naïve Bayes"
    assert empty == ResumeSkip("people.csv#row 2", "row has no resume text")
    assert (third.source, third.category, third.external_id) == ("people.csv#row 3", None, "103")
    assert parse_resume(third.raw_text).experiences[0].company == "Hays plc"


def test_csv_in_cp1252_with_resume_column(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes('Category,Resume\nArts,"Café manager – 5 years of experience"\n'.encode("cp1252"))
    (doc,) = list(iter_resume_documents(path, MAX))
    assert isinstance(doc, ResumeDocument)
    assert doc.raw_text == "Café manager – 5 years of experience" and doc.category == "Arts"


# ---- malformed input -----------------------------------------------------------------------------
def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t \r\n  ", "file has no text (only whitespace)"),
        ("garbage.pdf", bytes(range(256)) * 16, "binary content, not a resume"),
        ("garbage.txt", b"\x00\x01\x02ELF" * 100, "binary content, not a resume"),
        ("notes.pdf", b"Just some text, no PDF here.", "not a PDF file (no %PDF header)"),
        ("broken.docx", b"PK\x03\x04" + b"\x00garbage" * 64, "corrupt .docx (damaged zip archive)"),
        ("tool.exe", b"MZ\x90\x00", "unsupported file type .exe (use .pdf, .docx, .txt, .html or .csv)"),
        ("README", b"hello", "unsupported file type (none) (use .pdf, .docx, .txt, .html or .csv)"),
        ("people.csv", b"Name,Text\nAna,Engineer\n",
         "CSV has no 'Resume' or 'Resume_str' column (found: Name, Text)"),
    ],
)
def test_malformed_files_give_a_specific_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    item = _only(_write(tmp_path / name, data))
    assert item == ResumeSkip(name, reason)


def test_truncated_pdf(tmp_path: Path) -> None:
    whole = _pdf_bytes(["Jane Doe", "Senior Backend Engineer"] * 20)
    item = _only(_write(tmp_path / "cut.pdf", whole[: len(whole) // 2]))
    assert isinstance(item, ResumeSkip) and item.reason.startswith("corrupt or truncated PDF")


def test_pdf_without_text(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 80, 40)
    item = _only(_write(tmp_path / "scan.pdf", bytes(pdf.output())))
    assert item == ResumeSkip("scan.pdf", "PDF has no extractable text (scanned image?)")


def test_zip_without_word_document(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "odd.docx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert _only(tmp_path / "odd.docx") == ResumeSkip(
        "odd.docx", "corrupt .docx (a zip archive without a Word document inside)"
    )


def test_oversized_file(tmp_path: Path) -> None:
    item = _only(_write(tmp_path / "big.txt", b"x" * 2048), max_bytes=100)
    assert item == ResumeSkip("big.txt", "file is 2 KiB, the limit is 100 bytes")
    huge = _write(tmp_path / "huge.txt", b"y" * (3 * 1024 * 1024 + 300 * 1024))
    assert _only(huge, max_bytes=MAX // 4).reason == "file is 3.3 MiB, the limit is 2.5 MiB"


def test_missing_path(tmp_path: Path) -> None:
    assert _only(tmp_path / "nope.pdf") == ResumeSkip("nope.pdf", "file not found")


def test_bad_files_do_not_stop_a_folder(tmp_path: Path) -> None:
    _write(tmp_path / "a_empty.txt", b"")
    _write(tmp_path / "b_garbage.pdf", bytes(range(256)) * 8)
    _write(tmp_path / "c_people.csv", b"Category,Resume\nHR,\nHR,Recruiter with 3 years of experience\n")
    _write(tmp_path / "d_ok.txt", b"Skills\nPython")
    items = list(iter_resume_documents(tmp_path, MAX))
    assert [(i.source, type(i).__name__) for i in items] == [
        ("a_empty.txt", "ResumeSkip"),
        ("b_garbage.pdf", "ResumeSkip"),
        ("c_people.csv#row 1", "ResumeSkip"),
        ("c_people.csv#row 2", "ResumeDocument"),
        ("d_ok.txt", "ResumeDocument"),
    ]


def test_resume_error_carries_reason() -> None:
    err = ResumeError("empty file")
    assert isinstance(err, ValueError) and err.reason == "empty file" and str(err) == "empty file"
