"""Canonical URLs, content hashes and MinHash near-duplicates."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.read.dedupe import (
    MinHashSizeMismatch,
    NearDuplicateIndex,
    canonicalize_url,
    compute_minhash,
    content_hash,
    is_tracking_param,
    minhash_from_bytes,
    minhash_to_bytes,
)
from newsdesk.read.tracking_params import TRACKING_PARAMS

# --- invented news text (not real events) -----------------------------------------------


def _reflow(text: str) -> str:
    """Paragraphs wrapped for the source file joined back into single lines."""
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n")) + "\n"


WIRE_STORY = _reflow(
    """\
HARBOURVILLE, Nov 3 (Invented Wire) - The port authority of the fictional city of Harbourville
said on Monday it would close two of its four container terminals for six weeks to repair storm
damage to the quay walls.

Engineers found cracks along a 300-metre stretch of the eastern quay after a storm last month
pushed waves over the breakwater, authority spokeswoman Lena Marsh told reporters at a
briefing.

Ships bound for the closed terminals will be diverted to the western docks, where operators
have agreed to extend working hours and add a night shift until the repairs are finished.

Shipping agents warned that the diversion could add two to three days to waiting times for
larger vessels, and several freight companies said they were already rerouting cargo through
the neighbouring port of Saltmere.

The authority estimated the cost of the repairs at 42 million crowns and said it would ask the
regional government for emergency funds to cover most of the bill.

Local business groups said the closure came at a difficult moment, weeks before the busy winter
season, when retailers import most of their holiday stock through the port.

Marsh said the authority had hired an outside firm to inspect the remaining quays and would
publish its findings by the end of the month.

The dock workers' union said it supported the repairs but wanted guarantees that no jobs would
be lost during the closure.
"""
)

# Same story, lightly edited by another outlet: new first line, one sentence reworded,
# last paragraph dropped.
EDITED_COPY = _reflow(
    """\
Harbourville port to shut two terminals for storm repairs (Invented Daily)

Engineers found cracks along a 300-metre stretch of the eastern quay after a storm last month
pushed waves over the breakwater, authority spokeswoman Lena Marsh told reporters at a
briefing.

Ships bound for the closed terminals will be diverted to the western docks, where operators
have agreed to extend working hours and add a night shift until the repairs are finished.

Shipping agents warned that the diversion could add two to three days to waiting times for
larger vessels, and several freight companies said they were already rerouting cargo through
the neighbouring port of Saltmere.

The authority put the bill for the repairs at 42 million crowns and said it would ask the
regional government for emergency funds to cover most of the bill.

Local business groups said the closure came at a difficult moment, weeks before the busy winter
season, when retailers import most of their holiday stock through the port.

Marsh said the authority had hired an outside firm to inspect the remaining quays and would
publish its findings by the end of the month.
"""
)

# Invented: a different story on the same topic (the same port and storm).
SAME_TOPIC_STORY = _reflow(
    """\
SALTMERE, Nov 4 (Invented Wire) - Freight volumes at the fictional port of Saltmere jumped by a
fifth last week as shipping lines moved cargo away from storm-hit Harbourville, the Saltmere
harbour master said on Tuesday.

Harbour master Piet Olsen said his staff had handled forty extra container ships since the
storm and that the port was close to its capacity, with queues of lorries stretching back to
the motorway junction.

Olsen said Saltmere would open a temporary storage yard on land next to the old fish market and
hire seasonal workers to cope with the additional traffic over the coming weeks.

Truck drivers complained of waits of up to eight hours at the gates, and the regional transport
office asked hauliers to book arrival slots in advance.

Olsen declined to say whether Saltmere would seek to keep the new customers after
Harbourville's terminals reopen, saying only that the two ports had always competed for the
same trade.

Harbourville's port authority has said repairs to its damaged quay walls will take about six
weeks and cost tens of millions of crowns.
"""
)

# Invented Chinese wire text and a lightly edited copy.
CHINESE_STORY = (
    "虚构新闻：港湾市港务局周一表示，由于上月风暴损坏了码头岸壁，将关闭四个集装箱码头中的两个，"
    "维修工期约为六周。工程师在东侧码头发现了一段长约三百米的裂缝，风暴期间海浪越过了防波堤。"
    "前往关闭码头的船只将被转移到西侧码头，运营商已同意延长工作时间并增加夜班，直到维修完成。"
    "航运代理警告说，大型船舶的等待时间可能因此增加两到三天，多家货运公司表示已开始通过邻近的盐湖港转运货物。"
    "港务局估计维修费用为四千二百万元，并表示将向地区政府申请紧急资金以支付大部分费用。"
    "当地商业团体表示，关闭时机不佳，距离繁忙的冬季旺季仅剩几周，零售商的大部分节日商品都经由该港进口。"
)
CHINESE_COPY = (
    "港湾市两座码头因风暴维修关闭。工程师在东侧码头发现了一段长约三百米的裂缝，风暴期间海浪越过了防波堤。"
    "前往关闭码头的船只将被转移到西侧码头，运营商已同意延长工作时间并增加夜班，直到维修完成。"
    "航运代理警告说，大型船舶的等待时间可能因此增加两到三天，多家货运公司表示已开始通过邻近的盐湖港转运货物。"
    "港务局预计维修将花费四千二百万元，并表示将向地区政府申请紧急资金以支付大部分费用。"
    "当地商业团体表示，关闭时机不佳，距离繁忙的冬季旺季仅剩几周，零售商的大部分节日商品都经由该港进口。"
)


# --- canonical URLs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTP://News.Example.COM:80//world/./europe/../asia/?utm_source=rss&b=2&a=1#top",
            "http://news.example.com/world/asia?a=1&b=2",
        ),
        ("https://example.com:443/", "https://example.com/"),
        ("https://example.com:8443/a/", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        (
            "https://bücher.example/%7euser/%c3%a9?q=%2a",
            "https://xn--bcher-kva.example/~user/%C3%A9?q=%2A",
        ),
        ("https://example.com/a b/é", "https://example.com/a%20b/%C3%A9"),
        ("https://user:secret@example.com/x", "https://example.com/x"),
        (
            "https://example.com/story?fbclid=1&gclid=2&mc_cid=3&id=7",
            "https://example.com/story?id=7",
        ),
        ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
        ("https://example.com/a/b/..", "https://example.com/a"),
        ("http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"),
        ("  https://example.com/x  ", "https://example.com/x"),
    ],
)
def test_canonicalize_url_examples(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "not a url", "mailto:desk@example.com", "http://[::1", "http://x:99999/", "//x"],
)
def test_canonicalize_url_returns_junk_stripped(junk: str) -> None:
    assert canonicalize_url(f" {junk} ") == junk.strip()


def test_tracking_list_is_documented_and_matched() -> None:
    assert {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_hsenc"} <= TRACKING_PARAMS
    assert {"igshid", "yclid", "ref_src", "cmpid", "ocid", "_hsmi"} <= TRACKING_PARAMS
    assert is_tracking_param("UTM_Campaign")
    assert is_tracking_param("utm%5Fsource")
    assert not is_tracking_param("id")
    assert not is_tracking_param("page")


# Raw whitespace and controls are left out of generated URLs: urlsplit and strip() drop them.
_label = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
_host = st.lists(_label, min_size=1, max_size=3).map(lambda ls: ".".join([*ls, "example"]))
_segment = st.text(
    st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), exclude_characters="/?#"
    ),
    max_size=8,
)
_path = st.lists(st.one_of(_segment, st.sampled_from([".", "..", ""])), max_size=5).map(
    lambda segs: "/" + "/".join(segs)
)
_param_name = st.text("abcdefghijklmnopqrstuvwxyz_%", min_size=1, max_size=8)
_param_value = st.text(
    st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), exclude_characters="&#"
    ),
    max_size=8,
)
_params = st.lists(st.tuples(_param_name, _param_value), max_size=5)
_tracking = st.lists(
    st.tuples(
        st.sampled_from([*sorted(TRACKING_PARAMS), "utm_source", "utm_medium", "UTM_Term"]),
        _param_value,
    ),
    max_size=3,
)


def _build(scheme: str, host: str, port: str, path: str, params: list[tuple[str, str]]) -> str:
    query = "&".join(f"{k}={v}" for k, v in params)
    return f"{scheme}://{host}{port}{path}" + (f"?{query}" if query else "")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_canonicalize_url_idempotent_on_any_text(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["http", "https", "HTTPS"]),
    _host,
    _path,
    _params,
    _tracking,
    st.text(max_size=10),
)
def test_canonicalize_url_properties(
    scheme: str,
    host: str,
    path: str,
    params: list[tuple[str, str]],
    tracking: list[tuple[str, str]],
    fragment: str,
) -> None:
    url = _build(scheme, host, "", path, params + tracking) + f"#{fragment}"
    canonical = canonicalize_url(url)
    assert canonicalize_url(canonical) == canonical
    parts = urlsplit(canonical)
    assert "#" not in canonical
    names = [pair.partition("=")[0].lower() for pair in parts.query.split("&") if pair]
    assert not any(is_tracking_param(name) for name in names)
    assert "//" not in parts.path
    assert parts.path == "/" or not parts.path.endswith("/")
    # query order, host case and the default port do not matter
    assert canonicalize_url(_build(scheme, host, "", path, list(reversed(params)))) == (
        canonicalize_url(_build(scheme, host, "", path, params))
    )
    assert canonicalize_url(_build(scheme, host.upper(), "", path, params)) == canonicalize_url(
        _build(scheme, host, "", path, params)
    )
    port = ":80" if scheme == "http" else ":443"
    assert canonicalize_url(_build(scheme, host, port, path, params)) == canonicalize_url(
        _build(scheme, host, "", path, params)
    )


# --- content hashes -----------------------------------------------------------------------


def test_content_hash_matches_reencoded_copies() -> None:
    original = "Invented: The mayor said “we will rebuild” — and left.\n\nMore at 5."
    copies = [
        'Invented: the mayor said "we will rebuild" - and left. More at 5.',
        "INVENTED: THE MAYOR SAID &ldquo;WE WILL REBUILD&rdquo; &mdash; AND LEFT.   MORE AT 5.",
        "Invented:\u00a0The ma\u00adyor said ‘we will rebuild’ – and left.\r\nMore at ５.",
    ]
    assert all(content_hash(copy) == content_hash(original) for copy in copies)
    assert content_hash(original) != content_hash("Invented: The mayor said we will not rebuild.")
    assert len(content_hash("")) == 64


# --- near-duplicates ----------------------------------------------------------------------


def test_lightly_edited_copy_is_found_and_same_topic_story_is_not() -> None:
    index = NearDuplicateIndex(threshold=0.6)
    index.add(1, compute_minhash(WIRE_STORY))
    index.add(2, compute_minhash(SAME_TOPIC_STORY))
    index.add(3, compute_minhash(CHINESE_STORY))
    assert len(index) == 3

    found = index.query(compute_minhash(EDITED_COPY))
    assert [key for key, _ in found] == [1]
    assert found[0][1] >= 0.6

    assert index.query(compute_minhash(SAME_TOPIC_STORY.replace("Invented Wire", "Other"))) == [
        (2, pytest.approx(1.0, abs=0.05))
    ]
    unrelated = compute_minhash(SAME_TOPIC_STORY)
    assert 1 not in [key for key, _ in index.query(unrelated)]
    assert compute_minhash(WIRE_STORY).jaccard(unrelated) < 0.1


def test_chinese_lightly_edited_copy_is_found() -> None:
    index = NearDuplicateIndex(threshold=0.6)
    index.add(10, compute_minhash(CHINESE_STORY))
    index.add(11, compute_minhash(WIRE_STORY))
    found = index.query(compute_minhash(CHINESE_COPY))
    assert [key for key, _ in found] == [10]
    assert found[0][1] >= 0.6


def test_query_is_best_first_and_filtered() -> None:
    index = NearDuplicateIndex(threshold=0.6)
    index.add(1, compute_minhash(WIRE_STORY))
    index.add(2, compute_minhash(EDITED_COPY))
    found = index.query(compute_minhash(WIRE_STORY))
    assert [key for key, _ in found] == [1, 2]
    assert found[0][1] == 1.0 > found[1][1] >= 0.6
    index.add(1, compute_minhash(SAME_TOPIC_STORY))  # a key added twice keeps its first sketch
    assert len(index) == 2
    index.remove(2)
    assert len(index) == 1 and 2 not in index


def test_empty_text_is_never_a_duplicate() -> None:
    index = NearDuplicateIndex()
    index.add(1, compute_minhash(""))
    index.add(2, compute_minhash(WIRE_STORY))
    assert len(index) == 1
    assert index.query(compute_minhash("  ...  ")) == []


def test_minhash_bytes_round_trip_preserves_jaccard() -> None:
    a, b = compute_minhash(WIRE_STORY), compute_minhash(EDITED_COPY)
    blob = minhash_to_bytes(a)
    assert len(blob) == 128 * 8
    restored = minhash_from_bytes(blob)
    assert restored.jaccard(a) == 1.0
    assert restored.jaccard(b) == a.jaccard(b)
    assert minhash_to_bytes(restored) == blob
    small = compute_minhash(WIRE_STORY, num_perm=64)
    assert minhash_from_bytes(minhash_to_bytes(small), num_perm=64).jaccard(small) == 1.0
    with pytest.raises(MinHashSizeMismatch):
        minhash_from_bytes(blob, num_perm=64)


def test_index_rebuilds_from_stored_bytes() -> None:
    rows = [
        (1, minhash_to_bytes(compute_minhash(WIRE_STORY))),
        (2, minhash_to_bytes(compute_minhash(SAME_TOPIC_STORY))),
        (3, b"too short"),
    ]
    index = NearDuplicateIndex.from_rows(rows, threshold=0.6)
    assert len(index) == 2
    assert [key for key, _ in index.query(compute_minhash(EDITED_COPY))] == [1]
