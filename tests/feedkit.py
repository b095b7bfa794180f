"""Invented feed items and pages for pipeline tests (all text here is invented)."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from xml.sax.saxutils import escape

INVENTED = "Invented text written for Newsdesk tests; none of it happened."

WIRE_STORY = (
    "The port authority of the invented city of Lormont said on Tuesday that its container "
    "terminal would stay closed for a third day after a fire damaged two cranes overnight.\n\n"
    "A spokesperson for the authority, Mara Velden, said engineers were inspecting the cranes "
    "and that no injuries had been reported among the 140 workers on the night shift.\n\n"
    "Shipping agents said at least nine vessels were waiting offshore and that cargo could be "
    "diverted to the neighbouring port of Saint-Ivre if the closure lasted beyond Friday.\n\n"
    "The terminal operator, Lormont Gateway Holdings, declined to estimate the cost of the "
    "damage but said insurers had been informed and an independent review would begin soon.\n\n"
    "Local officials said the fire started in an electrical cabinet and was put out within an "
    "hour by the port's own fire brigade, according to a statement released before dawn."
)

SYNDICATED_COPY = (
    "LORMONT (Wire) — The port authority of Lormont said on Tuesday that its container terminal "
    "would stay closed for a third day after a fire damaged two cranes overnight.\n\n"
    "A spokesperson for the authority, Mara Velden, said engineers were inspecting the cranes "
    "and that no injuries had been reported among the 140 workers on the night shift.\n\n"
    "Shipping agents said at least nine vessels were waiting offshore and that cargo could be "
    "diverted to the neighbouring port of Saint-Ivre if the closure lasted beyond Friday.\n\n"
    "The terminal operator, Lormont Gateway Holdings, declined to estimate the cost of the "
    "damage but said insurers had been informed and an independent review would begin soon."
)

OTHER_STORIES = [
    (
        "Le conseil municipal de Varenne adopte un budget réduit",
        "Le conseil municipal de la ville imaginaire de Varenne a adopté mardi soir un budget "
        "réduit de huit pour cent, après un débat de plus de quatre heures.\n\nLe maire, Odile "
        "Marchetti, a déclaré que les écoles et les transports seraient épargnés, tandis que "
        "l'opposition a dénoncé des coupes dans la culture et le sport.",
        "fr",
    ),
    (
        "Neue Brücke über die Sandel eröffnet",
        "In der erfundenen Stadt Kellbach ist am Montag eine neue Brücke über die Sandel für den "
        "Verkehr freigegeben worden.\n\nDer Bau dauerte drei Jahre und kostete nach Angaben der "
        "Stadtverwaltung 42 Millionen Euro, fünf Millionen mehr als ursprünglich geplant.",
        "de",
    ),
    (
        "Новый музей открылся в вымышленном городе Северск-на-Ладе",
        "В вымышленном городе Северск-на-Ладе в субботу открылся новый музей истории речного "
        "судоходства.\n\nПо словам директора музея Анны Горбуновой, в первый день выставку "
        "посетили более двух тысяч человек, а вход останется бесплатным до конца месяца.",
        "ru",
    ),
]


def page_html(title: str, text: str, *, canonical: str | None = None, lang: str = "en") -> bytes:
    """A small but realistic article page with boilerplate around the body."""
    paras = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
    canon = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title>{canon}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<div class='banner'>{INVENTED}</div><article><h1>{escape(title)}</h1>{paras}</article>"
        "<aside><h3>Most read</h3><ul><li><a href='/x'>Another invented item</a></li></ul></aside>"
        "<footer>Copyright invented outlet. Subscribe to our newsletter.</footer></body></html>"
    ).encode()


def rss(items: list[dict[str, str]], *, title: str = "Invented Outlet") -> bytes:
    """An RSS 2.0 feed; item keys: title, link, guid, pubDate, description, content."""
    parts = []
    for it in items:
        content = (
            f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>"
            if it.get("content")
            else ""
        )
        parts.append(
            f"<item><title>{escape(it['title'])}</title><link>{escape(it['link'])}</link>"
            f"<guid>{escape(it.get('guid', it['link']))}</guid><pubDate>{it['pubDate']}</pubDate>"
            f"<description>{escape(it.get('description', ''))}</description>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>"
        f"<description>{INVENTED}</description>{''.join(parts)}</channel></rss>"
    ).encode()


def rfc822(t: dt.datetime) -> str:
    return format_datetime(t)


def paragraphs_html(text: str) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
