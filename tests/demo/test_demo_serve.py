"""After the demo run, its invented outlets are served again where the stored articles point,
so a reader following a citation's "Read the source" link reaches the page."""

from __future__ import annotations

import httpx

from newsdesk.cli.demo_cmd import serve_demo_sources
from newsdesk.demo.corpus import load_corpus
from newsdesk.settings import Settings
from newsdesk.store import Article, Store
from tests.webserver import free_port


def test_sources_come_back_on_the_port_the_articles_name(store: Store, settings: Settings) -> None:
    assert serve_demo_sources(store, settings) is None  # nothing stored: nothing to serve
    article = load_corpus().articles[0]
    url = f"http://127.0.0.1:{free_port()}{article.path}"
    with store.session() as s:
        s.add(Article(url=url, title=article.title, outlet="invented", content_hash="x"))
    server = serve_demo_sources(store, settings)
    assert server is not None
    try:
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200 and article.title.split()[0] in page.text
    finally:
        server.stop()
