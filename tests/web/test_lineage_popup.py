"""The map of the Đam Rông sample after the reform: a merged commune's popup lists the
communes it was formed from, with their own records (Đam Rông 1: Phi Liêng and Đạ K'Nàng).
In a real browser, as tests/web/test_browser.py (skipped without playwright or Chromium).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from test_browser import _need_browser, _new_page, _popup_text, _wait_ready

from ntmgeo import datasets
from ntmgeo.store.gpkg import GpkgStore

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def sample_server(webpkg, tmp_path_factory) -> Iterator[dict[str, Any]]:
    from werkzeug.serving import make_server

    path = tmp_path_factory.mktemp("lineage-map") / "damrong.gpkg"
    datasets.load_sample(GpkgStore.create(path, prov_code="68"), "damrong")
    app = webpkg.create_app({"DB_PATH": str(path), "SECRET_KEY": "lineage-tests"})
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{srv.server_port}", "path": path}
    finally:
        srv.shutdown()
        thread.join(timeout=5)


def test_a_merged_communes_popup_lists_its_predecessors(sample_server):
    sync_playwright = _need_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = _new_page(browser, sample_server)
        try:
            page.goto(sample_server["url"] + "/")
            _wait_ready(page, 1)
            page.locator("#asof").fill("2025-12-31")
            page.locator("#asof-apply").click()
            _wait_ready(page, 2)
            paths = page.locator("path.ntm-commune")
            assert paths.count() == 4
            texts = []
            for i in range(4):
                paths.nth(i).click(force=True)
                texts.append(" ".join(_popup_text(page).split()))
                page.keyboard.press("Escape")  # the close button may sit under a control
                page.wait_for_timeout(250)
            (one,) = [t for t in texts if "Đam Rông 1" in t]
            assert "Hình thành ngày 2025-07-01 từ các đơn vị sau" in one
            assert "Phi Liêng (24886, 2008-01-01 – 2025-06-30): Nông thôn mới" in one
            assert "Đạ K'Nàng (24889, 2008-01-01 – 2025-06-30)" in one
            assert "2023-12-31" in one and "Kế hoạch 149-KH/HU" in one
            # (the district's status answers 404 after the reform: no district that day)
            assert [p for p in page.problems if "404" not in p] == [], page.problems
        finally:
            page.context.close()
            browser.close()
