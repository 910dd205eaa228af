"""The HTML report in a real headless Chromium: it renders, filters, sorts and shows stamps.

Needs Debian's ``chromium`` and ``chromium-driver`` (installed by .ci/run) and selenium;
skipped cleanly when the browser is absent.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.batch.support import fixture_ledger
from vnsign.batch.ledger import Ledger
from vnsign.render.batch_report import render
from vnsign.render.batch_rows import documents

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--window-size=1400,1000")

pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium is not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.binary_location = str(CHROMIUM)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with Ledger(fixture_ledger()) as ledger:
        rows = ledger.rows()
    out = tmp_path_factory.mktemp("html") / "report.html"
    out.write_bytes(render("html", documents(rows), lang="vi"))
    return out


def _visible(driver: Any) -> list[str]:
    return list(driver.execute_script(
        "return Array.from(document.querySelectorAll('tbody.doc'))"
        ".filter(b => !b.hidden).map(b => b.dataset.path)"))


def test_renders_filters_sorts_and_shows_stamps(browser: Any, page: Path,
                                                tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(page.as_uri())
    assert browser.title == "Báo cáo kiểm tra chữ ký số"
    assert len(_visible(browser)) == 19
    count = browser.find_element(By.ID, "count")
    assert count.text == "Đang hiển thị 19 trên 19"
    cards = {c.get_attribute("data-filter"): c.find_element(By.CLASS_NAME, "n").text
             for c in browser.find_elements(By.CLASS_NAME, "card")}
    # truncated.pdf is FAILED: its intact revisions are verified (vnsign.pdf.recovery)
    assert cards == {"all": "19", "PASSED": "7", "FAILED": "4", "INDETERMINATE": "5",
                     "NO_SIGNATURE": "3"}

    # Filter by text: file names, signers, finding codes.
    search = browser.find_element(By.ID, "q")
    search.send_keys("tampered")
    assert _visible(browser) == ["tampered-flipped-byte.pdf"]
    search.clear()
    search.send_keys("Hết Hạn")  # a signer's name (Vietnamese)
    assert sorted(_visible(browser)) == ["expired-signer-timestamped.pdf", "expired-signer.pdf"]
    search.clear()
    search.send_keys("HASH_MISMATCH")
    assert _visible(browser) == ["tampered-flipped-byte.pdf"]
    search.clear()
    browser.execute_script("document.getElementById('q').dispatchEvent(new Event('input'))")

    # Filter by verdict, from the select and from the cards.
    verdict = Select(browser.find_element(By.ID, "verdict"))
    verdict.select_by_value("FAILED")
    assert sorted(_visible(browser)) == ["expired-signer.pdf", "modified-page-content.pdf",
                                         "tampered-flipped-byte.pdf", "truncated.pdf"]
    assert count.text == "Đang hiển thị 4 trên 19"
    browser.find_element(By.CSS_SELECTOR, ".card.PASSED").click()
    assert verdict.first_selected_option.get_attribute("value") == "PASSED"
    assert len(_visible(browser)) == 7
    browser.find_element(By.CSS_SELECTOR, ".card.PASSED").click()  # again: back to all
    assert len(_visible(browser)) == 19

    # Sort by the number of signatures, both ways.
    header = browser.find_element(By.CSS_SELECTOR, "th[data-key=sigs] button")
    header.click()
    order = browser.execute_script(
        "return Array.from(document.querySelectorAll('tbody.doc')).map(b => +b.dataset.sigs)")
    assert order == sorted(order)
    header.click()
    order = browser.execute_script(
        "return Array.from(document.querySelectorAll('tbody.doc')).map(b => +b.dataset.sigs)")
    assert order == sorted(order, reverse=True)
    assert browser.find_element(By.CSS_SELECTOR, "th[data-key=sigs]").get_attribute(
        "aria-sort") == "descending"

    _document_fields(browser)

    # Open the 5-signature document: four visible stamps as pictures, one invisible.
    main = browser.find_element(By.CSS_SELECTOR,
                                'tbody.doc[data-path="cong-van-2971-snv-vp.pdf"]')
    detail = main.find_element(By.CSS_SELECTOR, "tr.detail")
    assert not detail.is_displayed()
    main.find_element(By.CSS_SELECTOR, "tr.main").click()
    assert detail.is_displayed()
    pictures = detail.find_elements(By.CSS_SELECTOR, "img.thumb")
    assert len(pictures) == 4
    for picture in pictures:
        assert browser.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth", picture) > 50
    assert "Chữ ký không hiển thị trên trang" in detail.text
    assert "Bùi Văn Nam" in detail.text and "SỞ NỘI VỤ" in detail.text
    browser.save_screenshot(str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").stat().st_size > 10_000


# The fixtures' printed fields (EXPECTED.md, tests/fixtures/metadata/*.json). Documents
# that cannot be read (empty, encrypted, not a PDF, truncated) show none.
# Files whose document fields cannot be read (truncated.pdf can: its intact revisions are
# read, vnsign.pdf.recovery).
UNREADABLE = {"empty.pdf", "encrypted.pdf", "not-a-pdf.pdf"}
QUANG_NGAI = "02-quyet-dinh-quy-pham-quang-ngai.pdf"
TPHCM = "05-thong-bao-vp-ubnd-tphcm.pdf"


def _column(driver: Any, css: str) -> list[str]:
    return list(driver.execute_script(
        "return Array.from(document.querySelectorAll('tbody.doc'))"
        f".map(b => b.querySelector('tr.main td.{css}').textContent)"))


def _document_fields(browser: Any) -> None:
    """The clerk's columns: shown, filtered by agency and type, searched, sorted."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "thead th")]
    for title in ("Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Loại văn bản",
                  "Trích yếu", "Người ký (trên văn bản)"):
        assert any(h.startswith(title) for h in heads), (title, heads)
    row = browser.find_element(By.CSS_SELECTOR, f'tbody.doc[data-path="{QUANG_NGAI}"]')
    cells = {td.get_attribute("class"): td.text
             for td in row.find_elements(By.CSS_SELECTOR, "tr.main td")}
    assert cells["number"] == "12/2025/QĐ-UBND" and cells["date"] == "2025-03-03"
    assert cells["agency"] == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert cells["doctype"] == "Quyết định" and cells["printed"] == "Võ Văn Khánh"
    assert cells["subject"].startswith("Ban hành Quy định phân cấp quản lý nhà nước")

    agency = Select(browser.find_element(By.ID, "agency"))
    assert [o.text for o in agency.options][1:] == [
        "SỞ NỘI VỤ", "VĂN PHÒNG", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"]
    agency.select_by_value("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
    assert _visible(browser) == [QUANG_NGAI]
    agency.select_by_value("")
    doctype = Select(browser.find_element(By.ID, "doctype"))
    doctype.select_by_value("Công văn")
    every = set(_all(browser))
    assert set(_visible(browser)) == every - UNREADABLE - {QUANG_NGAI, TPHCM}
    doctype.select_by_value("Thông báo")
    agency.select_by_value("SỞ NỘI VỤ")  # the filters combine: nothing is both
    assert _visible(browser) == []
    assert browser.find_element(By.ID, "empty").is_displayed()
    agency.select_by_value("")
    assert _visible(browser) == [TPHCM]
    doctype.select_by_value("")

    search = browser.find_element(By.ID, "q")
    search.send_keys("320/TB-VP")  # a number and symbol
    assert _visible(browser) == [TPHCM]
    search.clear()
    search.send_keys("tài sản công")  # words of a subject
    assert _visible(browser) == [QUANG_NGAI]
    search.clear()
    browser.execute_script("document.getElementById('q').dispatchEvent(new Event('input'))")
    assert len(_visible(browser)) == len(every)

    # Sort by number: numbers compare as numbers (12 < 320 < 2971), not as text.
    browser.find_element(By.CSS_SELECTOR, "th[data-key=number] button").click()
    numbers = [n for n in _column(browser, "number") if n != "-"]
    assert numbers[:3] == ["12/2025/QĐ-UBND", "320/TB-VP", "2971/SNV-VP"]
    assert numbers[-2:] == ["2978/SNV-VP", "2979/SNV-VP"]
    browser.find_element(By.CSS_SELECTOR, "th[data-key=date] button").click()
    dates = [d for d in _column(browser, "date") if d != "-"]
    assert dates[:2] == ["2025-03-03", "2025-07-21"] and dates == sorted(dates)
    browser.find_element(By.CSS_SELECTOR, "th[data-key=date] button").click()
    dates = [d for d in _column(browser, "date") if d != "-"]
    assert dates[-2:] == ["2025-07-21", "2025-03-03"]


def _all(driver: Any) -> list[str]:
    return list(driver.execute_script(
        "return Array.from(document.querySelectorAll('tbody.doc')).map(b => b.dataset.path)"))
