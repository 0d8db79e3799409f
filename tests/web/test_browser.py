"""The map in a real browser (Debian's Chromium driven by Python playwright), offline.

The app is served on 127.0.0.1 by werkzeug in a thread; every request that is not to the
loopback server is aborted, so basemap tiles fail and the map must work without them. These
tests skip (with the reason) when playwright or Chromium is missing, except under ``CI=true``
where they fail instead. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from webstore import HOSTILE, PASSWORD, X0, Y0, build_store

CHROMIUM = os.environ.get("NTMGEO_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _need_browser() -> Any:
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason, sync_playwright = "python playwright is not installed", None
    if reason is None and not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM}"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _need_browser()
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def _serve(webpkg: Any, folder: Path) -> Iterator[dict[str, Any]]:
    from werkzeug.serving import make_server

    path = folder / "browser.gpkg"
    build_store(path)
    app = webpkg.create_app({"DB_PATH": str(path), "SECRET_KEY": "browser-tests"})
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{srv.server_port}", "path": path, "tmp": folder}
    finally:
        srv.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def server(webpkg, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """A server for the tests that only look (shared by the module)."""
    yield from _serve(webpkg, tmp_path_factory.mktemp("browser"))


@pytest.fixture
def own_server(webpkg, tmp_path) -> Iterator[dict[str, Any]]:
    """A server with its own store, for a test that changes it."""
    yield from _serve(webpkg, tmp_path)


def _new_page(browser, server, viewport=DESKTOP, **context_options) -> Any:
    context = browser.new_context(viewport=viewport, locale="vi-VN", **context_options)
    page = context.new_page()
    page.problems = []  # console errors other than the blocked tiles, CSP reports, JS errors
    page.blocked = []
    prefix = server["url"] + "/"

    def route(r: Any) -> None:
        if r.request.url.startswith(prefix):
            r.continue_()
        else:
            page.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" and
            "net::ERR_FAILED" not in m.text else None)
    return page


@pytest.fixture
def page(browser, server) -> Iterator[Any]:
    p = _new_page(browser, server)
    yield p
    p.context.close()


def _open_map(page: Any, server: dict[str, Any], query: str = "") -> None:
    page.goto(server["url"] + "/" + query)
    _wait_ready(page, 1)


def _wait_ready(page: Any, loads: int) -> None:
    # wait_for_function would need eval, which the page's CSP forbids: wait on an attribute.
    page.wait_for_selector(f"html[data-ready='1'][data-loads='{loads}']", state="attached",
                           timeout=20_000)


def _probe(page: Any, expr: str) -> Any:
    return json.loads(page.evaluate(f"JSON.stringify({expr})"))


def _popup_text(page: Any) -> str:
    popup = page.locator(".leaflet-popup-content").last  # a closed one fades out for 200 ms
    popup.wait_for(state="visible", timeout=5_000)
    return popup.inner_text()


def _click(page: Any, selector: str) -> None:
    """Click the middle of an SVG path (a straight road has a zero-height box, which
    playwright's own click calls invisible).
    """
    point = page.locator(selector).first.evaluate("""path => {
        const r = path.getBoundingClientRect();
        for (const t of [0.5, 0.6, 0.4, 0.75, 0.25, 0.9, 0.1]) {
            const x = r.left + r.width * t, y = r.top + r.height * t;
            if (document.elementFromPoint(x, y) === path) return [x, y];
        }
        return null;
    }""")
    assert point, f"{selector} is hidden under something else"
    page.mouse.click(*point)


def _close_popup(page: Any) -> None:
    page.locator(".leaflet-popup-close-button").last.click()
    page.wait_for_timeout(250)


# --------------------------------------------------------------------------------- tests
def test_layers_are_drawn_offline(page, server):
    _open_map(page, server)
    counts = _probe(page, "window.__ntmgeo.counts")
    assert counts["communes"] == 4 and counts["district"] == 1
    assert counts["roads"] == 2 and counts["sites"] == 3
    assert counts["stretches"] == 1 and counts["gaps"] == 2
    assert page.locator("path.ntm-commune").count() == 4
    assert page.locator("path.ntm-road").count() == 2
    assert page.locator("path.ntm-stretch").count() == 1
    assert page.locator(".site-pin, .site-cluster").count() >= 1
    assert page.locator(".leaflet-control-layers").count() == 1
    assert page.locator(".legend .sw").count() == 6
    assert _probe(page, "window.__ntmgeo.errors") == []
    assert page.blocked, "the basemap tiles were requested (and blocked)"
    assert all("127.0.0.1" not in u for u in page.blocked)
    assert page.problems == [], page.problems  # no CSP violation, no script error
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map.png"))


def test_commune_popup_lists_unmet_criteria(page, server):
    _open_map(page, server)
    page.locator("path.ntm-commune-c16_19").click()
    text = _popup_text(page)
    assert "Xã Tây" in text and "18/19" in text and "11. Nghèo đa chiều" in text
    _close_popup(page)
    page.locator("path.ntm-commune-kieu_mau").click()
    assert "NTM kiểu mẫu" in _popup_text(page)
    _close_popup(page)
    page.locator("path.ntm-commune-unknown").click()
    assert "Chưa có số liệu" in _popup_text(page)


def test_road_popup_gives_length_ratio_and_chainage(page, server):
    _open_map(page, server)
    _click(page, "path.ntm-stretch")
    text = _popup_text(page)
    assert "ĐH42" in text and "km" in text and "Km0+000 →" in text
    assert "%" in text and "Ngưỡng 50%" in text
    _close_popup(page)
    _click(page, "path.ntm-road-unmet")
    text = _popup_text(page)
    assert "ĐH47" in text and "0%" in text


def test_panel_filter_and_locate(page, server):
    _open_map(page, server)
    panel = page.locator("#panel")
    assert panel.is_visible()
    assert "Đam Rông" not in panel.inner_text() and "Huyện Thử (674)" in panel.inner_text()
    assert page.locator("tr.ind").count() == 36
    assert "Chênh lệch giữa báo cáo và kết quả tính" in panel.inner_text()
    page.locator("#unmet-only").check()
    unmet = page.locator("tr.ind").evaluate_all("rows => rows.map(r => r.dataset.indicator)")
    # 2.3 computed from the roads; 2.1 and 2.2 cannot be (the made-up roads record no surface
    # and no grade), and nothing is reported for them: no verdict, and the panel says why
    assert unmet == ["2.3", "2.4", "6.2", "7.8", "9.3"]
    page.locator("tr.ind[data-indicator='2.4'] button.locate").click()
    assert "Bến xe khách huyện" in _popup_text(page)
    _close_popup(page)
    page.locator("tr.ind[data-indicator='9.3'] button.locate").click()
    msg = page.locator("#map-msg")
    msg.wait_for(state="visible")
    assert "9.3" in msg.inner_text() and "không có vị trí" in msg.inner_text()
    page.locator("tr.ind[data-indicator='2.3'] button.locate").click()
    assert "2.3: 1 vị trí" in msg.inner_text()  # the one road below 50%
    page.locator("#unmet-only").uncheck()
    assert page.locator("tr.ind").count() == 36
    note = page.locator("tr.ind[data-indicator='2.2'] .ind-note").inner_text()
    assert "chưa ghi cấp kỹ thuật theo quy hoạch cho ĐH42, ĐH47" in note
    assert "chưa ghi kết cấu mặt đường" in page.locator(
        "tr.ind[data-indicator='2.1'] .ind-note").inner_text()


def test_date_control_requeries_the_status(page, server):
    _open_map(page, server)
    assert _probe(page, "window.__ntmgeo.siteStates()")["s1"] == "planned"
    page.locator("#asof").fill("2024-12-31")
    page.locator("#asof-apply").click()
    _wait_ready(page, 2)
    assert _probe(page, "window.__ntmgeo.siteStates()")["s1"] == "overdue"
    assert "2024-12-31" in page.locator("#panel-body .unit-head").inner_text()
    page.locator("#asof").fill("2026-01-01")
    page.locator("#asof-apply").click()
    _wait_ready(page, 3)
    assert "Không có huyện hợp lệ" in page.locator("#panel-body").inner_text()
    assert _probe(page, "window.__ntmgeo.counts.communes") == 0
    page.locator("#asof-latest").click()
    _wait_ready(page, 4)
    assert _probe(page, "window.__ntmgeo.counts.communes") == 4


def test_english_is_switchable_and_remembered(page, server):
    _open_map(page, server, "?lang=en")
    assert "District NTM criteria" in page.locator("#panel").inner_text()
    assert "Unmet only" in page.locator("#panel").inner_text()
    page.goto(server["url"] + "/")
    _wait_ready(page, 1)
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("path.ntm-commune-c16_19").click()
    assert "Unmet criteria" in _popup_text(page)


def test_phone_layout(browser, server):
    page = _new_page(browser, server, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        _open_map(page, server)
        assert not page.locator("#panel").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map-phone.png"))
        page.locator("#panel-open").click()
        assert page.locator("#panel").is_visible()
        box = page.locator("#panel").bounding_box()
        assert box["width"] <= PHONE["width"] and box["x"] >= 0
        page.screenshot(path=str(ARTIFACTS / "map-phone-panel.png"))
        page.locator("#panel-close").click()
        assert not page.locator("#panel").is_visible()
        assert page.problems == [], page.problems
    finally:
        page.context.close()


def test_hostile_names_run_no_script(browser, server):
    # Without the CSP's help: the page itself must not turn data into markup.
    for options in ({"bypass_csp": True}, {}):
        page = _new_page(browser, server, **options)
        try:
            _open_map(page, server)
            hostile = page.locator("path.ntm-commune-c12_15")
            hostile.hover()
            page.locator(".leaflet-tooltip").wait_for(state="visible")
            assert HOSTILE in page.locator(".leaflet-tooltip").inner_text()
            hostile.click()
            assert HOSTILE in _popup_text(page)
            _close_popup(page)
            page.locator("#unmet-only").check()
            page.locator("tr.ind[data-indicator='6.2'] button.locate").click()
            text = _popup_text(page)
            assert text.count(HOSTILE) == 2  # name and note, as text
            assert HOSTILE in page.locator("tr.ind[data-indicator='9.3']").inner_text()
            _click(page, "path.ntm-road-unmet")
            assert HOSTILE in _popup_text(page)
            page.wait_for_timeout(200)
            assert page.evaluate("typeof window.__xss") == "undefined"
            assert page.locator(".leaflet-popup-content img, #panel img").count() == 0
        finally:
            page.context.close()


def test_sign_in_upload_and_see_the_ratio_change(browser, own_server):
    server = own_server
    page = _new_page(browser, server)
    _open_map(page, server)
    before = _probe(page, "window.__ntmgeo.roadShares()")["674|ĐH47"]
    assert before == 0
    line_before = page.locator("tr.ind[data-indicator='2.3'] .greening-now").inner_text()
    page.locator("#nav-login").click()
    page.locator("#username").fill("lan")
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(server["url"] + "/upload")
    coords = [[X0 + 0.055 + i * 0.002, Y0 + 0.0201] for i in range(21)]
    survey = server["tmp"] / "hàng cây ĐH47.geojson"
    survey.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"road_code": "ĐH47", "species": HOSTILE},
        "geometry": {"type": "LineString", "coordinates": coords}}]}, ensure_ascii=False),
        encoding="utf-8")
    page.locator("#file").set_input_files(str(survey))
    page.locator("#survey_date").fill("2024-06-15")
    page.locator("#upload-form button[type=submit]").click()
    _wait_ready(page, 1)
    assert "Đã lưu 1 đối tượng khảo sát" in page.locator(".flashes").inner_text()
    after = _probe(page, "window.__ntmgeo.roadShares()")["674|ĐH47"]
    assert after > 0.9
    assert page.locator("path.ntm-road-unmet").count() == 0
    assert page.locator("path.ntm-stretch").count() == 2
    line_after = page.locator("tr.ind[data-indicator='2.3'] .greening-now").inner_text()
    assert "tính từ khảo sát:" in line_after and line_after != line_before
    assert page.problems == [], page.problems
    # a bad file: a clear Vietnamese message (and a 400), nothing changes
    bad = server["tmp"] / "hỏng.geojson"
    bad.write_text("{ not json", encoding="utf-8")
    page.goto(server["url"] + "/upload")
    page.locator("#file").set_input_files(str(bad))
    page.locator("#upload-form button[type=submit]").click()
    error = page.locator("#upload-error")
    error.wait_for()
    assert error.inner_text().startswith("Tệp không hợp lệ: hỏng.geojson")
    _open_map(page, server)
    assert _probe(page, "window.__ntmgeo.roadShares()")["674|ĐH47"] == after
    page.context.close()
