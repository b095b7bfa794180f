// Citation popovers: a marker [n] shows the cited passage, its outlet, language and links.
// Without this script the marker is a plain link to the Sources entry (#src-n); everything shown
// here is read from that entry and written with textContent, never as HTML.
(function () {
  "use strict";
  var open = null;

  function close() {
    if (open) {
      open.marker.setAttribute("aria-expanded", "false");
      open.box.remove();
      open = null;
    }
  }

  function line(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function build(marker, entry) {
    var source = entry.closest(".source");
    var box = line("div", "cite-popover", "");
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Source " + marker.textContent);
    var passage = entry.querySelector(".passage-text");
    var quote = line("blockquote", "cite-text", passage ? passage.textContent : entry.textContent);
    if (passage && passage.lang) quote.lang = passage.lang;
    box.appendChild(quote);
    if (source) {
      var meta = [source.dataset.outlet, source.dataset.lang, source.dataset.date]
        .filter(function (x) { return x; }).join(" · ");
      box.appendChild(line("p", "cite-meta", meta));
      var links = line("p", "cite-links", "");
      // only links the server rendered (http/https) exist in the entry: copy their hrefs
      var out = source.querySelector(".source-title a[href]");
      if (out) links.appendChild(link(out.href, "Read the source"));
      var snap = source.querySelector("a.snapshot-link");
      if (snap) {
        if (out) links.appendChild(document.createTextNode(" · "));
        links.appendChild(link(snap.href, "Archived copy"));
      }
      if (links.childNodes.length) box.appendChild(links);
    }
    var all = link("#" + entry.id, "All sources");
    all.className = "cite-all";
    all.addEventListener("click", close);
    box.appendChild(all);
    return box;
  }

  function place(box, marker) {
    var r = marker.getBoundingClientRect();
    box.style.top = window.scrollY + r.bottom + 6 + "px";
    var width = Math.min(360, document.documentElement.clientWidth - 16);
    box.style.width = width + "px";
    var left = Math.max(8, Math.min(window.scrollX + r.left - 20,
      window.scrollX + document.documentElement.clientWidth - width - 8));
    box.style.left = left + "px";
  }

  function show(marker) {
    var id = (marker.getAttribute("href") || "").slice(1);
    var entry = id && document.getElementById(id);
    if (!entry) return false;
    var same = open && open.marker === marker;
    close();
    if (same) return true;
    var box = build(marker, entry);
    document.body.appendChild(box);
    place(box, marker);
    marker.setAttribute("aria-expanded", "true");
    open = { marker: marker, box: box };
    return true;
  }

  document.addEventListener("click", function (ev) {
    var marker = ev.target.closest ? ev.target.closest("a.cite") : null;
    if (marker) {
      if (show(marker)) ev.preventDefault();
      return;
    }
    if (open && !open.box.contains(ev.target)) close();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && open) {
      var marker = open.marker;
      close();
      marker.focus();
    }
  });
  window.addEventListener("resize", close);
  document.querySelectorAll("a.cite").forEach(function (m) {
    m.setAttribute("aria-haspopup", "dialog");
    m.setAttribute("aria-expanded", "false");
  });
})();
