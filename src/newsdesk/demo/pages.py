"""Render demo article pages as realistic news HTML: boilerplate around one article body."""

from __future__ import annotations

import json
from html import escape

from newsdesk.demo.corpus import DemoArticle, DemoCorpus, DemoOutlet

DEMO_BANNER = "DEMO — invented news written for testing Newsdesk"

# Interface strings per language: nav sections, sidebar, newsletter, cookies, footer.
UI: dict[str, dict[str, str]] = {
    "en": {
        "nav": "Home|World|Business|Markets|Opinion|Sport",
        "most_read": "Most read",
        "related": "Related coverage",
        "newsletter": "Get the morning briefing in your inbox every weekday.",
        "subscribe": "Subscribe",
        "cookies": "We use cookies to improve your experience and to measure our audience.",
        "accept": "Accept all",
        "rights": "All rights reserved.",
        "by": "By",
    },
    "hi": {
        "nav": "होम|देश|दुनिया|व्यापार|खेल|राय",
        "most_read": "सबसे ज़्यादा पढ़े गए",
        "related": "संबंधित ख़बरें",
        "newsletter": "हर सुबह की प्रमुख ख़बरें सीधे अपने इनबॉक्स में पाएँ।",
        "subscribe": "सदस्यता लें",
        "cookies": "हम आपके अनुभव को बेहतर बनाने के लिए कुकीज़ का उपयोग करते हैं।",
        "accept": "स्वीकार करें",
        "rights": "सर्वाधिकार सुरक्षित।",
        "by": "लेखक:",
    },
    "ru": {
        "nav": "Главная|Политика|Экономика|Мир|Мнения|Спорт",
        "most_read": "Самое читаемое",
        "related": "По теме",
        "newsletter": "Подпишитесь на утреннюю рассылку главных новостей.",
        "subscribe": "Подписаться",
        "cookies": "Мы используем файлы cookie, чтобы сайт работал лучше.",
        "accept": "Принять",
        "rights": "Все права защищены.",
        "by": "Автор:",
    },
    "zh": {
        "nav": "首页|国际|财经|科技|评论|体育",
        "most_read": "热门阅读",
        "related": "相关报道",
        "newsletter": "订阅每日早报，重要新闻直达邮箱。",
        "subscribe": "订阅",
        "cookies": "本网站使用Cookie以改善您的浏览体验。",
        "accept": "全部接受",
        "rights": "版权所有。",
        "by": "记者",
    },
    "ar": {
        "nav": "الرئيسية|العالم|اقتصاد|طاقة|رأي|رياضة",
        "most_read": "الأكثر قراءة",
        "related": "تغطية ذات صلة",
        "newsletter": "اشترك في النشرة الصباحية لتصلك أهم الأخبار يومياً.",
        "subscribe": "اشترك",
        "cookies": "نستخدم ملفات تعريف الارتباط لتحسين تجربتك.",
        "accept": "قبول الكل",
        "rights": "جميع الحقوق محفوظة.",
        "by": "بقلم",
    },
    "es": {
        "nav": "Portada|Mundo|Economía|Mercados|Opinión|Deportes",
        "most_read": "Lo más leído",
        "related": "Cobertura relacionada",
        "newsletter": "Reciba el boletín de la mañana cada día laborable.",
        "subscribe": "Suscribirse",
        "cookies": "Usamos cookies para mejorar su experiencia y medir la audiencia.",
        "accept": "Aceptar todo",
        "rights": "Todos los derechos reservados.",
        "by": "Por",
    },
    "fr": {
        "nav": "Accueil|Monde|Économie|Afrique|Opinions|Sport",
        "most_read": "Les plus lus",
        "related": "À lire aussi",
        "newsletter": "Recevez la lettre du matin chaque jour de la semaine.",
        "subscribe": "S'abonner",
        "cookies": "Nous utilisons des cookies pour améliorer votre expérience.",
        "accept": "Tout accepter",
        "rights": "Tous droits réservés.",
        "by": "Par",
    },
    "de": {
        "nav": "Startseite|Politik|Wirtschaft|Hafen|Meinung|Sport",
        "most_read": "Meistgelesen",
        "related": "Mehr zum Thema",
        "newsletter": "Der Morgen-Newsletter: jeden Werktag die wichtigsten Nachrichten.",
        "subscribe": "Abonnieren",
        "cookies": "Wir verwenden Cookies, um unser Angebot zu verbessern.",
        "accept": "Alle akzeptieren",
        "rights": "Alle Rechte vorbehalten.",
        "by": "Von",
    },
    "ja": {
        "nav": "トップ|国際|経済|海運|オピニオン|スポーツ",
        "most_read": "よく読まれている記事",
        "related": "関連記事",
        "newsletter": "毎朝の主要ニュースをメールでお届けします。",
        "subscribe": "登録する",
        "cookies": "当サイトは利便性向上のためにクッキーを使用しています。",
        "accept": "同意する",
        "rights": "無断転載を禁じます。",
        "by": "記者：",
    },
    "pt": {
        "nav": "Início|Mundo|Economia|Mercados|Opinião|Esportes",
        "most_read": "Mais lidas",
        "related": "Leia também",
        "newsletter": "Receba o boletim da manhã todos os dias úteis.",
        "subscribe": "Assinar",
        "cookies": "Usamos cookies para melhorar sua experiência.",
        "accept": "Aceitar todos",
        "rights": "Todos os direitos reservados.",
        "by": "Por",
    },
}

_STYLE = (
    "body{font-family:sans-serif;margin:0}.demo-banner{background:#b00;color:#fff;padding:6px;"
    "text-align:center;font-weight:bold}nav a{margin-right:1em}main{display:flex;gap:2em}"
    "article{max-width:40em}.cookie-banner{position:fixed;bottom:0;background:#eee;padding:8px}"
)


def _ui(lang: str) -> dict[str, str]:
    return UI.get(lang, UI["en"])


def _iso(article: DemoArticle) -> str:
    return article.published.strftime("%Y-%m-%dT%H:%M:%SZ")


def _json_ld(article: DemoArticle, outlet: DemoOutlet, canonical: str, base_url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": _iso(article),
        "dateModified": _iso(article),
        "inLanguage": article.lang,
        "author": [{"@type": "Person", "name": article.author}],
        "publisher": {"@type": "Organization", "name": outlet.name, "url": f"{base_url}/"},
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "description": article.paragraphs[0][:200] if article.paragraphs else "",
    }
    # "</" must not end the script element early.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _link_list(base_url: str, articles: list[DemoArticle]) -> str:
    return "".join(
        f'<li><a href="{escape(base_url + a.path)}">{escape(a.title)}</a></li>' for a in articles
    )


def render_article_page(
    article: DemoArticle,
    outlet: DemoOutlet,
    base_url: str,
    most_read: list[DemoArticle],
    related: list[DemoArticle],
) -> str:
    """Return a full HTML page for an article, with nav, sidebar, cookie banner and footer."""
    ui = _ui(outlet.lang)
    canonical = base_url + article.path
    home = f"{base_url}/{outlet.id}/"
    direction = ' dir="rtl"' if outlet.lang == "ar" else ""
    nav = "".join(
        f'<a href="{escape(home)}{i}">{escape(label)}</a>'
        for i, label in enumerate(ui["nav"].split("|"))
    )
    body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    related_html = (
        f'<aside class="related"><h2>{escape(ui["related"])}</h2>'
        f"<ul>{_link_list(base_url, related)}</ul></aside>"
        if related
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="{outlet.lang}"{direction}>
<head>
<meta charset="utf-8">
<title>{escape(article.title)} | {escape(outlet.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{escape(canonical)}">
<meta name="author" content="{escape(article.author)}">
<meta name="description" content="{escape(article.paragraphs[0][:200])}">
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(article.title)}">
<meta property="og:site_name" content="{escape(outlet.name)}">
<meta property="og:url" content="{escape(canonical)}">
<meta property="og:locale" content="{outlet.lang}">
<meta property="article:published_time" content="{_iso(article)}">
<meta property="article:modified_time" content="{_iso(article)}">
<meta property="article:author" content="{escape(article.author)}">
<script type="application/ld+json">{_json_ld(article, outlet, canonical, base_url)}</script>
<style>{_STYLE}</style>
</head>
<body>
<div class="demo-banner" role="note">{DEMO_BANNER}</div>
<header class="site-header">
<a class="logo" href="{escape(home)}">{escape(outlet.name)}</a>
<nav class="main-nav">{nav}</nav>
</header>
<main>
<article class="story">
<h1>{escape(article.title)}</h1>
<p class="byline">{escape(ui["by"])} <span class="author">{escape(article.author)}</span>
<time datetime="{_iso(article)}">{article.published:%Y-%m-%d %H:%M} UTC</time></p>
<div class="article-body">{body}</div>
</article>
<aside class="sidebar">
<section class="most-read"><h2>{escape(ui["most_read"])}</h2>
<ol>{_link_list(base_url, most_read)}</ol></section>
<section class="newsletter"><p>{escape(ui["newsletter"])}</p>
<form action="{escape(home)}newsletter" method="post"><input type="email" name="email">
<button type="submit">{escape(ui["subscribe"])}</button></form></section>
</aside>
</main>
{related_html}
<div class="cookie-banner" id="cookie-consent"><p>{escape(ui["cookies"])}</p>
<button>{escape(ui["accept"])}</button></div>
<footer class="site-footer">
<p>© 2026 {escape(outlet.name)}. {escape(ui["rights"])}</p>
<p><a href="{escape(home)}about">About</a> · <a href="{escape(home)}contact">Contact</a> ·
<a href="{escape(home)}privacy">Privacy</a> · <a href="{escape(home)}terms">Terms</a></p>
<p class="demo-note">{DEMO_BANNER}</p>
</footer>
</body>
</html>
"""


def render_index_page(corpus: DemoCorpus, base_url: str) -> str:
    """Return the server's home page listing every outlet feed."""
    rows = "".join(
        f'<li><a href="{escape(base_url)}/{o.id}/feed">{escape(o.name)}</a> '
        f"({o.lang}, {o.country}, {o.format})</li>"
        for o in corpus.outlets
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Newsdesk demo feeds</title></head><body>"
        f'<div class="demo-banner">{DEMO_BANNER}</div>'
        "<h1>Newsdesk demo feeds</h1><p>Every outlet, person and event here is invented.</p>"
        f"<ul>{rows}</ul></body></html>\n"
    )


def render_opml(corpus: DemoCorpus, base_url: str) -> str:
    """Return an OPML list of every outlet feed."""
    outlines = "".join(
        f'<outline type="rss" text="{escape(o.name)}" title="{escape(o.name)}" '
        f'xmlUrl="{escape(base_url)}/{o.id}/feed" htmlUrl="{escape(base_url)}/{o.id}/" '
        f'language="{o.lang}"/>'
        for o in corpus.outlets
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0"><head>'
        "<title>Newsdesk demo feeds (invented)</title></head>"
        f"<body>{outlines}</body></opml>\n"
    )
