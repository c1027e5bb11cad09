"""A bad month prints on at most 2 pages, A4 and Letter, in a named font (headless Chromium).

30 days, 3 pain entries a day with notes, 20 warning-sign symptoms reported present and
reported absent on scattered days (every one a long list of dates), all 10 known drugs over
their limits (many flags), self-care with notes. The layout rules: at most 2 pages, no page
but the last more than a third blank, and the last page holds more than the footer.

This input reproduces the issue's bad month: on the report before issue 17 (sections that
could not split) it printed 3 pages on Letter and on A4 with page 1 71-76 % blank (the
flags-and-symptoms block went whole to page 2); with the days lists printed in full in the
narrow symptom column and again in the answers it printed 3 pages, the last on A4 only the
footer. Measured with both fonts below, for the whole month and for its last 14 days (on
main before the fix the 14-day report printed 3 pages in DejaVu Sans, in Liberation Sans 2).

The fonts are controlled: a fontconfig file maps every family the report asks for (and the
generic ones) to one named font, checked with fc-match and in the PDF's embedded fonts, so
the page count does not depend on which fonts the machine has. Two fonts: Liberation Sans
(Arial's metrics, the report's first choices; Debian fonts-liberation) and DejaVu Sans (a
wide font, the usual fallback; fonts-dejavu-core).
"""

from __future__ import annotations

import contextlib
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
from tests.test_report_browser import chromium, fonts, paper, pdf_pages, print_to_pdf

pytestmark = pytest.mark.slow

FONTS = {"Liberation Sans": b"LiberationSans", "DejaVu Sans": b"DejaVuSans"}
PACKAGES = {"Liberation Sans": "fonts-liberation", "DejaVu Sans": "fonts-dejavu-core"}
FAMILIES = (
    "Helvetica Neue",
    "Helvetica",
    "Arial",
    "Liberation Sans",
    "sans-serif",
    "serif",
    "monospace",
    "system-ui",
)
AS_OF = "2026-03-30 21:30"
MARGIN_PT = 12 / 25.4 * 72  # the report's @page margin (12 mm)
FOOTER_PT = 30  # the footer alone: two 7.6 pt lines and its rule, about 20 pt high


# --- where a page's content ends: a small reader of Chromium's PDF content streams --------
# Every rectangle (`re`, except the page background) and text origin (`Tm`) is mapped
# through the current transformation matrix (q / Q / cm) to page points; the lowest one is
# where the page's content ends.

TOKEN = re.compile(
    rb"(-?\d*\.\d+|-?\d+)|([A-Za-z*'\"]+)|(<[^>]*>|\([^)]*\)|/[^\s/<>\[\]()]+|<<|>>|\[|\])"
)


def streams(data):
    out = {}
    for m in re.finditer(rb"(\d+) 0 obj\b", data):
        end = data.find(b"endobj", m.end())
        body = data[m.end() : end]
        at = body.find(b"stream")
        if at < 0 or body[:at].rstrip().endswith(b"end"):
            continue
        head = body[:at]
        raw = body[at + 6 :]
        raw = raw[1:] if raw[:1] == b"\n" else raw[2:] if raw[:2] == b"\r\n" else raw
        raw = raw[: raw.rfind(b"endstream")].rstrip(b"\r\n")
        with contextlib.suppress(zlib.error):
            out[int(m.group(1))] = zlib.decompress(raw) if b"FlateDecode" in head else raw
    return out


def mul(a, b):
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def ys(content, page_h):
    ctm = (1, 0, 0, 1, 0, 0)
    stack, nums, found = [], [], []
    for m in TOKEN.finditer(content):
        if m.group(1) is not None:
            nums.append(float(m.group(1)))
            continue
        op = m.group(2)
        if op is None:
            continue
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q" and stack:
            ctm = stack.pop()
        elif op == b"cm" and len(nums) >= 6:
            ctm = mul(tuple(nums[-6:]), ctm)
        elif op == b"re" and len(nums) >= 4:
            x, y, w, h = nums[-4:]
            pts = [(x, y), (x + w, y + h)]
            yy = [px * ctm[1] + py * ctm[3] + ctm[5] for px, py in pts]
            if abs(yy[1] - yy[0]) < 0.8 * page_h:  # not the page background
                found += yy
        elif op == b"Tm" and len(nums) >= 6:
            e, f = nums[-2:]
            found.append(e * ctm[1] + f * ctm[3] + ctm[5])
        nums = []
    return found


def page_fill(data):
    """[(page height, lowest content y, highest content y)] per page, in page order."""
    s = streams(data)
    pages = []
    for m in re.finditer(rb"/Type\s*/Page\b(?!s).*?/Contents\s+(\d+)\s+0\s+R", data, re.S):
        pages.append(int(m.group(1)))
    box = re.search(rb"/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)", data)
    assert box is not None, "a PDF page has a MediaBox"
    h = float(box.group(1))
    out = []
    for ref in pages:
        found = ys(s.get(ref, b""), h)
        out.append((h, min(found, default=h), max(found, default=0)))
    return out


def blank_fractions(data: bytes) -> list[float]:
    """Per page but the last: the blank part of the printable height below the content."""
    fills = page_fill(data)
    return [(low - MARGIN_PT) / (height - 2 * MARGIN_PT) for height, low, _ in fills[:-1]]


def font_config(tmp_path: Path, font: str) -> Path:
    """A fontconfig file: the system fonts, every family above bound strongly to `font`."""
    aliases = "".join(
        f'<match target="pattern"><test name="family"><string>{family}</string></test>'
        f'<edit name="family" mode="assign" binding="strong"><string>{font}</string></edit>'
        "</match>"
        for family in FAMILIES
    )
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir>{aliases}</fontconfig>",
        "utf-8",
    )
    return conf


def check_font(conf: Path, font: str) -> None:
    match = shutil.which("fc-match")
    if match is None:
        pytest.skip("fc-match (fontconfig) is needed to check the named font")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    found = subprocess.run(
        [match, "-f", "%{family}", "Helvetica Neue"], env=env, capture_output=True, text=True
    ).stdout
    if font not in found:
        if os.environ.get("CI"):
            pytest.fail(f"{font} is not installed (Debian: {PACKAGES[font]})")
        pytest.skip(f"{font} is not installed (Debian: {PACKAGES[font]})")


def print_pdf(browser: str, html: Path, tmp_path: Path, name: str, conf: Path) -> bytes:
    """Printed with the test's own fontconfig (every family the report names -> one font)."""
    return print_to_pdf(browser, html, tmp_path, name, {**os.environ, "FONTCONFIG_FILE": str(conf)})


def fill_bad_month(db_path: Path) -> None:
    from backcare.domain.drugs import KNOWN_DRUGS
    from backcare.domain.inputs import NewPain, NewSymptom, NewTreatment
    from backcare.domain.model import Profile
    from backcare.domain.symptoms import SYMPTOM_CODES
    from backcare.store import repo
    from backcare.store.engine import open_store

    codes = list(SYMPTOM_CODES)[:20]
    drugs = list(KNOWN_DRUGS)
    assert len(codes) == 20 and len(drugs) == 10
    zone = ZoneInfo("Europe/London")
    first = datetime(2026, 3, 1, tzinfo=zone)
    store = open_store(db_path, create=True)
    try:
        with store.write() as s:
            for d in range(30):
                day = first + timedelta(days=d)
                for k, hour in enumerate((8, 13, 20)):
                    at = day.replace(hour=hour)
                    note = f"worse after sitting, day {d}" if k == 0 else None
                    repo.add_pain(
                        s,
                        entry=NewPain(
                            at=at,
                            pain=(d + k) % 10 + 1,
                            spasms=(d + k) % 6,
                            location="lower",
                            radiates="thigh",
                            note=note,
                        ),
                        now=at,
                    )
                    drug = drugs[(d * 3 + k) % 10]
                    repo.add_treatment(
                        s,
                        entry=NewTreatment(
                            at=at + timedelta(minutes=5),
                            kind="medication",
                            drug=drug,
                            dose_mg=100,
                            note=f"{drug} with water",
                        ),
                        now=at,
                    )
                    repo.add_treatment(
                        s,
                        entry=NewTreatment(
                            at=at + timedelta(minutes=9), kind="heat", minutes=20, relief=d % 7
                        ),
                        now=at,
                    )
                nine = day.replace(hour=9)
                for i, code in enumerate(codes):
                    # each symptom present every third day and absent the day after: 10
                    # runs of dates in each list, every symptom open as a flag
                    if (d + i) % 3 == 2:
                        continue
                    present = (d + i) % 3 == 0
                    symptom = NewSymptom(at=nine, code=code, present=present, note=f"{code} {d}")
                    repo.add_symptom(s, entry=symptom, now=nine)
            history = frozenset(("osteoporosis", "cancer", "steroid-use", "blood-thinners"))
            repo.save_profile(
                s,
                profile=Profile(birth_year=1950, prior_back_pain=True, history=history),
                now=first,
            )
            last = first + timedelta(days=29, hours=10)
            for i, drug in enumerate(drugs):  # the last day: every drug, over its daily limit
                for j in range(4):
                    at = last + timedelta(minutes=10 * i + j)
                    repo.add_treatment(
                        s,
                        entry=NewTreatment(at=at, kind="medication", drug=drug, dose_mg=1000),
                        now=at,
                    )
    finally:
        store.close()


@pytest.mark.parametrize("days", [30, 14])
@pytest.mark.parametrize("font", list(FONTS))
def test_a_bad_month_prints_on_at_most_two_pages(
    run: Run, db_path: Path, tmp_path: Path, font: str, days: int
) -> None:
    browser = chromium()
    conf = font_config(tmp_path, font)
    check_font(conf, font)
    fill_bad_month(db_path)
    html = tmp_path / "report.html"
    result = run("report", "--days", str(days), "--as-of", AS_OF, "-o", str(html))
    assert result.exit_code == 0, result.stderr
    page = html.read_text("utf-8")
    assert "tizanidine" in page and "weight-loss" not in page and "night-pain" in page
    assert page.count('<td class="lvl') >= 10, "the bad month should raise many flags"
    letter = print_pdf(browser, html, tmp_path, "letter", conf)
    assert paper(letter) == (612, 792)
    a4_html = tmp_path / "report-a4.html"
    a4_html.write_text(page.replace("<style>", "<style>@page { size: A4; }", 1), "utf-8")
    a4 = print_pdf(browser, a4_html, tmp_path, "a4", conf)
    assert paper(a4) == (595, 842)
    assert fonts(letter) == fonts(a4) == {FONTS[font]}, "printed in the named font only"
    pages = {"letter": pdf_pages(letter), "A4": pdf_pages(a4)}
    assert all(1 <= n <= 2 for n in pages.values()), pages
    for name, pdf in (("letter", letter), ("A4", a4)):
        fills = page_fill(pdf)
        assert len(fills) == pages[name]
        blank = blank_fractions(pdf)
        assert all(part <= 1 / 3 for part in blank), (name, blank)  # no page a third blank
        _, low, high = fills[-1]
        assert high - low > FOOTER_PT, (name, "the last page holds only the footer")
