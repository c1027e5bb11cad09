"""The printable report in a real browser: headless Chromium prints a 30-day report to PDF,
and the PDF has exactly one page, on US Letter (Chromium's default paper) and on A4.

Without Chromium (Debian package `chromium`) the test skips and says why; in CI (env `CI`
set) a missing Chromium is a failure, so the check cannot silently stop running.
Pages are counted in the PDF bytes: page objects (`/Type /Page`, not `/Pages`), also inside
compressed object streams, cross-checked against the page tree's `/Count`.

The font is named, not left to the machine: the page count depends on glyph widths, and the
report's stack (Helvetica, Arial, Liberation Sans, then the generic sans-serif) falls back to
whatever the machine has. The printed copy forces Liberation Sans (Arial's metrics, Debian
package `fonts-liberation`, which .ci/run installs with Chromium), and the PDF's embedded
fonts are checked, so a machine without it skips (fails in CI) instead of measuring another
font. Measured on 2026-12-01: with DejaVu Sans, the usual fallback where no Arial-metric
font is installed, the same report needs two pages (it fits at 7.6 pt instead of 8.4 pt).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Run

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)
PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
PAGES_COUNT = re.compile(
    rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b"
)
MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]")
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
AS_OF = "2026-03-30 21:30"
FONT = "Liberation Sans"  # metric-compatible with Arial and Helvetica, the report's first choices
FONT_PS = b"LiberationSans"  # how the PDF names it (/BaseFont /ABCDEF+LiberationSans-Bold)
BASEFONT = re.compile(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([A-Za-z0-9]+)")


def chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("CI is set but `chromium` is not on PATH: .ci/run installs it (apt-get)")
    pytest.skip("the printed-report test needs headless Chromium: apt-get install chromium")


def pdf_pages(data: bytes) -> int:
    """Page objects in a PDF, also those inside (Flate-compressed) object streams."""
    count = len(PAGE.findall(data))
    for match in STREAM.finditer(data):
        head = data[max(0, match.start() - 400) : match.start()]
        if b"/ObjStm" not in head[head.rfind(b"obj") :]:
            continue
        try:
            count += len(PAGE.findall(zlib.decompress(match.group(1))))
        except zlib.error:
            continue
    return count


def fonts(data: bytes) -> set[bytes]:
    """Font families embedded in a PDF (subset prefix and style suffix dropped)."""
    names = set(BASEFONT.findall(data))
    for match in STREAM.finditer(data):
        try:
            names |= set(BASEFONT.findall(zlib.decompress(match.group(1))))
        except zlib.error:
            continue
    return {name.split(b"-")[0] for name in names}


def with_font(page: str, extra_css: str = "") -> str:
    """The report with FONT forced on every element (also the chart's SVG text)."""
    forced = f'* {{ font-family: "{FONT}" !important; }}'
    return page.replace("<style>", f"<style>{extra_css}{forced}", 1)


def paper(data: bytes) -> tuple[int, int]:
    """The first page's size in points, rounded."""
    found = MEDIABOX.search(data)
    assert found is not None
    x0, y0, x1, y1 = (float(n) for n in found.groups())
    return round(x1 - x0), round(y1 - y0)


def print_to_pdf(
    browser: str, html: Path, tmp_path: Path, name: str, env: dict[str, str] | None = None
) -> bytes:
    """`html` printed to PDF by headless Chromium (`env`: the browser's environment)."""
    pdf = tmp_path / f"{name}.pdf"
    profile = tmp_path / f"chromium-{name}"
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    return data


def fill_30_days(db_path: Path) -> None:
    """A busy month: 3 pain entries a day with notes, 3 drugs, heat/ice, stretching, walking,
    massage, red-flag symptoms reported and reported gone, and a profile with history."""
    from backcare.domain.inputs import NewPain, NewSymptom, NewTreatment
    from backcare.domain.model import Profile
    from backcare.store import repo
    from backcare.store.engine import open_store

    zone = ZoneInfo("Europe/London")
    first = datetime(2026, 3, 1, tzinfo=zone)
    store = open_store(db_path, create=True)
    try:
        with store.write() as s:
            for d in range(30):
                day = first + timedelta(days=d)
                base = max(1, 8 - d // 4)
                for k, hour in enumerate((8, 13, 20)):
                    at = day.replace(hour=hour)
                    note = None
                    if k == 0 and d % 5 == 0:
                        note = f'Stiff in the morning, <sharp> & "burning" when bending ({d}) ' * 3
                    pain = NewPain(
                        at=at,
                        pain=min(10, base + (k == 1)),
                        spasms=(d * 7 + k) % 5,
                        location=("lower", "lower", "middle")[k],
                        radiates=("none", "thigh", "below-knee")[d % 3] if d < 10 else "none",
                        note=note,
                    )
                    repo.add_pain(s, entry=pain, now=at)
                    later = at + timedelta(minutes=5)
                    if d < 20:
                        ibuprofen = NewTreatment(
                            at=later, kind="medication", drug="ibuprofen", dose_mg=400
                        )
                        repo.add_treatment(s, entry=ibuprofen, now=at)
                    if d < 6 and k == 2:
                        relaxant = NewTreatment(
                            at=later, kind="medication", drug="cyclobenzaprine", dose_mg=5
                        )
                        repo.add_treatment(s, entry=relaxant, now=at)
                    if d < 12 and k == 1:
                        para = NewTreatment(
                            at=later, kind="medication", drug="acetaminophen", dose_mg=1000
                        )
                        repo.add_treatment(s, entry=para, now=at)
                    thermal = NewTreatment(
                        at=later, kind="ice" if d < 2 else "heat", minutes=20, relief=d % 7
                    )
                    repo.add_treatment(s, entry=thermal, now=at)
                    if k == 1:
                        kind = ("stretching", "walking", "massage")[d % 3]
                        repo.add_treatment(
                            s, entry=NewTreatment(at=later, kind=kind, minutes=15), now=at
                        )
                nine = day.replace(hour=9)
                reports: list[tuple[str, bool]] = []
                if d in (2, 3, 9):
                    reports.append(("leg-numbness", True))
                if d == 12:
                    reports += [("leg-numbness", False), ("bladder", False), ("bowel", False)]
                if d in (25, 27):
                    reports += [("limb-weakness", True), ("night-pain", True), ("fever", True)]
                for code, present in reports:
                    symptom = NewSymptom(at=nine, code=code, present=present)
                    repo.add_symptom(s, entry=symptom, now=nine)
            profile = Profile(
                birth_year=1970,
                prior_back_pain=True,
                history=frozenset({"osteoporosis", "blood-thinners"}),
            )
            repo.save_profile(s, profile=profile, now=first)
    finally:
        store.close()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<</Type /Font /BaseFont /AAAAAA+LiberationSans-Bold>>", {b"LiberationSans"}),
        (b"/BaseFont /DejaVuSans /BaseFont/BAAAAA+DejaVuSans-Oblique", {b"DejaVuSans"}),
        (zlib.compress(b"/BaseFont /CAAAAA+LiberationSans"), set()),  # not inside a stream
    ],
)
def test_pdf_font_names(data: bytes, expected: set[bytes]) -> None:
    assert fonts(data) == expected


def test_pdf_fonts_inside_streams() -> None:
    packed = zlib.compress(b"<</BaseFont /EAAAAA+DejaVuSans-Bold>>")
    assert fonts(b"stream\n" + packed + b"\nendstream") == {b"DejaVuSans"}


def test_pdf_page_counter() -> None:
    plain = b"%PDF-1.4\n1 0 obj <</Type /Pages /Count 2 /Kids [2 0 R 3 0 R]>> endobj\n"
    plain += b"2 0 obj <</Type /Page>> endobj 3 0 obj <</Type/Page /Parent 1 0 R>> endobj"
    assert pdf_pages(plain) == 2
    packed = zlib.compress(b"4 0 5 20 <</Type /Page>> <</Type /Page>> <</Type /Page>>")
    compressed = b"%PDF-1.5\n9 0 obj <</Type /ObjStm /N 3 /Filter /FlateDecode>>\nstream\n"
    compressed += packed + b"\nendstream\nendobj\n"
    assert pdf_pages(compressed) == 3


@pytest.mark.slow
def test_a_30_day_report_prints_on_one_page(run: Run, db_path: Path, tmp_path: Path) -> None:
    browser = chromium()
    fill_30_days(db_path)
    html = tmp_path / "report.html"
    result = run("report", "--days", "30", "--as-of", AS_OF, "-o", str(html))
    assert result.exit_code == 0, result.stderr
    page = html.read_text("utf-8")
    assert "cyclobenzaprine" in page and "leg-numbness" in page  # the busy month is in it

    letter_html = tmp_path / "report-letter.html"
    letter_html.write_text(with_font(page), "utf-8")
    letter = print_to_pdf(browser, letter_html, tmp_path, "letter")
    if fonts(letter) != {FONT_PS}:
        message = f"{FONT} is not installed (apt-get install fonts-liberation): PDF fonts are"
        if os.environ.get("CI"):
            pytest.fail(f"{message} {sorted(fonts(letter))}")
        pytest.skip(f"{message} {sorted(fonts(letter))}")
    assert paper(letter) == (612, 792)  # Chromium's default paper: US Letter, in points
    # The same page on A4: the report sets no paper size, a printer in Europe uses A4.
    a4_html = tmp_path / "report-a4.html"
    a4_html.write_text(with_font(page, "@page { size: A4; }"), "utf-8")
    a4 = print_to_pdf(browser, a4_html, tmp_path, "a4")
    assert paper(a4) == (595, 842)
    assert fonts(a4) == {FONT_PS}

    for name, pdf in (("letter", letter), ("A4", a4)):
        counts = {int(a or b) for a, b in PAGES_COUNT.findall(pdf)}
        assert pdf_pages(pdf) == 1, f"{name}: the 30-day report runs over one page"
        assert counts <= {1}, name
