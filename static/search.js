/* The search page: runs ?q= on arrival and every later search on pagefind's index of this language.
   pagefind's code and index load only when a search runs. Every text comes from the page (#search-texts). */
(function () {
  "use strict";
  var source = document.getElementById("search-texts");
  var form = document.getElementById("search-form");
  if (!source || !form) { return; }
  var texts;
  try { texts = JSON.parse(source.textContent); } catch (e) { return; }
  var input = document.getElementById("search-query");
  var kindSelect = document.getElementById("search-kind");
  var labSelect = document.getElementById("search-lab");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var SHOWN = 30;  /* results shown at first, and added by each "Show more results" */
  var limit = SHOWN;
  var shownQuery = "";  /* the query whose results are listed, which "Show more results" goes on with */
  var more = document.getElementById("search-more");
  var FILTERED = 300;  /* results read to apply a filter (the kind and lab are in each result's data) */
  /* Kazakh letters as typed on a Russian keyboard: the index holds these forms of Kazakh words too. */
  var TYPED = { "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и" };
  var engine = null;
  var latest = 0;

  /* A Latin i or I in a word with Cyrillic letters, as Kazakh is often typed where its keyboard is missing
     («бiлiм»): the Kazakh letter і it stands for. */
  var CYRILLIC = /[А-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]/;
  function kazakhI(query) {
    return query.split(/([\s\-\u2010\u2011'’]+)/).map(function (part) {  /* inDrive-пен keeps its Latin half */
      return CYRILLIC.test(part) ? part.replace(/i/g, "і").replace(/I/g, "І") : part;
    }).join("");
  }
  function normalise(text) {
    return text.toLowerCase().replace(/[әғқңөұүһі]/g, function (c) { return TYPED[c]; });
  }
  /* A word without the signs around it (quotes, brackets, commas), in the form normalise gives it. */
  var AROUND = /^[^\wА-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+|[^\wА-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+$/g;
  function bare(word) { return normalise(word).replace(AROUND, ""); }
  /* The parts of a word joined by hyphens («импакт-дистрибуция»), each bare: a query word may be any of them. */
  var HYPHENS = /[-\u2010\u2011]+/;
  function parts(word) { return word.split(HYPHENS).map(bare).filter(Boolean); }
  /* The words of a text, or the terms of a query: its hyphenated words split into their parts. */
  function terms(text) {
    var found = [];
    text.split(/\s+/).forEach(function (word) { Array.prototype.push.apply(found, parts(word)); });
    return found;
  }
  /* Whether a page has, for every word of the query, a word that begins with most of it (a stemmed form such as
     «фильм» for «фильмов»). pagefind answers a word it does not know with the pages of its longest known start
     («по» for «подкаст»): such pages have none. */
  function relevant(data, query) {
    var words = terms(data.content);
    return terms(query).every(function (term) {
      var need = Math.min(term.length, Math.max(3, Math.ceil(term.length / 2)));
      var start = term.slice(0, need);
      return words.some(function (word) { return word.slice(0, need) === start; });
    });
  }
  function countText(count, atLeast) {
    var category = "other";
    try { category = new Intl.PluralRules(texts.lang).select(count); } catch (e) { /* old browser */ }
    var text = texts.counts[category] || texts.counts.other || texts.counts.many || "";
    return text.split("{count}").join(String(count) + (atLeast ? "+" : ""));
  }
  function load() {
    if (!engine) {
      engine = import("/pagefind/pagefind.js").then(function (pagefind) {
        return pagefind.options({ excerptLength: 26 }).then(function () { return pagefind; });
      });
    }
    return engine;
  }
  /* Whether a result's kind and lab (meta of the index) are those chosen in the filters. */
  function chosen(data) {
    return (!kindSelect.value || data.meta.kind === kindSelect.value) &&
      (!labSelect.value || data.meta.lab === labSelect.value);
  }
  /* Words of the result around the first one that starts like a word of the query, those words marked. */
  function ownExcerpt(content, query) {
    var wanted = terms(query);
    var words = content.split("\u2042")[0].split(/\s+/);  /* not what is only for the index, after the mark (⁂) */
    var matches = function (word) {
      return parts(word).some(function (form) {
        return wanted.some(function (term) { return form.indexOf(term) === 0; });
      });
    };
    var first = -1;
    for (var i = 0; i < words.length && first < 0; i++) { if (matches(words[i])) { first = i; } }
    if (first < 0) { return null; }
    var start = Math.max(0, first - 8);
    var pieces = [];
    words.slice(start, start + 26).forEach(function (word) {
      pieces.push({ text: word, mark: matches(word) }, { text: " ", mark: false });
    });
    return pieces;
  }
  /* pagefind's excerpt: the part before what is only for the index (after ⁂), unless only that part has the match
     (a person found by their name in another script, which the excerpt then shows). */
  function pagefindExcerpt(excerpt) {
    var halves = excerpt.split("\u2042");
    var after = halves.slice(1).join(" ");
    var shown = halves[0].indexOf("<mark>") < 0 && after.indexOf("<mark>") >= 0 ? after : halves[0];
    var parts = shown.split(/(<mark>|<\/mark>)/);
    var pieces = [];
    var marked = false;
    var decoder = document.createElement("textarea");
    parts.forEach(function (part) {
      if (part === "<mark>") { marked = true; } else if (part === "</mark>") { marked = false; } else if (part) {
        decoder.innerHTML = part;
        pieces.push({ text: decoder.value, mark: marked });
      }
    });
    return pieces;
  }
  function render(results, query) {
    list.textContent = "";
    results.forEach(function (data) {
      var item = document.createElement("li");
      item.className = "search-result";
      var kind = data.meta.kind;
      var lab = data.meta.lab;
      var label = document.createElement("p");
      label.className = "search-kind";
      label.textContent = (texts.kinds[kind] || "") + (lab && kind !== "lab" ? " · " + lab : "");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = data.meta.url || data.url;
      link.textContent = data.meta.title || link.href;
      heading.appendChild(link);
      var excerpt = document.createElement("p");
      excerpt.className = "search-excerpt";
      var pieces = (texts.lang === "kk" && ownExcerpt(data.content, query)) || pagefindExcerpt(data.excerpt);
      pieces.forEach(function (piece) {
        var node = piece.mark ? document.createElement("mark") : document.createTextNode("");
        node.textContent = piece.text;
        excerpt.appendChild(node);
      });
      item.appendChild(heading);
      item.insertBefore(label, heading);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
  }
  function searchAll(pagefind, query) {
    var searches = [pagefind.search(query)];
    var typed = normalise(query);
    if (texts.lang === "kk" && typed !== query.toLowerCase()) {
      searches.push(pagefind.search(typed));
    }
    return Promise.all(searches).then(function (found) {
      var seen = {};
      var merged = [];
      found.forEach(function (search) {
        (search && search.results || []).forEach(function (result) {
          if (!seen[result.id]) { seen[result.id] = true; merged.push(result); }
        });
      });
      return merged;
    });
  }
  /* The data of the results, best first, up to the limit: of as many results, or with a filter chosen, of FILTERED
     results for every SHOWN of the limit, those that pass it. Pages without the query's words are left out. */
  function resultData(results, query) {
    var filtered = kindSelect.value || labSelect.value;
    var read = results.slice(0, filtered ? FILTERED * limit / SHOWN : limit);
    return Promise.all(read.map(function (result, order) {
      return result.data().then(function (data) { data.score = result.score; data.order = order; return data; });
    })).then(function (all) {
      var kept = all.filter(function (data) { return relevant(data, query) && chosen(data); });
      /* pagefind's own count takes in pages without the query's words: the count is of those read that have them,
         "+" while some are not read yet. */
      var unread = results.length > read.length;
      return { shown: kept.slice(0, limit), total: kept.length, unread: unread, more: kept.length > limit || unread };
    });
  }
  function run(query, adding) {
    var mine = ++latest;
    var before = adding ? list.children.length : 0;
    if (adding) { query = shownQuery; } else { limit = SHOWN; shownQuery = query; }
    more.hidden = true;
    query = query.trim();
    if (texts.lang === "kk") { query = kazakhI(query); }
    if (!query) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = texts.searching;
    list.setAttribute("aria-busy", "true");
    load().then(function (pagefind) {
      return searchAll(pagefind, query).then(function (results) { return resultData(results, query); });
    }).then(function (found) {
      if (mine !== latest) { return; }
      var results = found.shown;
      /* Equal scores: the newest edition first (its date is in the index as meta). */
      results.sort(function (a, b) {
        return (b.score - a.score) || String(b.meta.date || "").localeCompare(String(a.meta.date || "")) ||
          (a.order - b.order);
      });
      render(results, query);
      status.textContent = found.total || found.unread ? countText(found.total, found.unread) : texts.none;
      list.setAttribute("aria-busy", "false");
      more.hidden = !found.more;
      var next = before && list.children[before] && list.children[before].querySelector("h2 a");
      if (next) { next.focus(); }  /* on to the first result added, for keyboard and screen reader users */
    }, function () {
      if (mine === latest) { status.textContent = texts.failed; list.setAttribute("aria-busy", "false"); }
    });
  }
  function fromForm() {
    var params = new URLSearchParams();
    params.set("q", input.value.trim());
    if (kindSelect.value) { params.set("kind", kindSelect.value); }
    if (labSelect.value) { params.set("lab", labSelect.value); }
    history.replaceState(null, "", "?" + params.toString());
    run(input.value);
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); fromForm(); });
  more.addEventListener("click", function () { limit += SHOWN; run(shownQuery, true); });
  kindSelect.addEventListener("change", fromForm);
  labSelect.addEventListener("change", fromForm);
  document.getElementById("search-filters").hidden = false;
  var given = new URLSearchParams(location.search);
  kindSelect.value = given.get("kind") || "";
  labSelect.value = given.get("lab") || "";
  if (given.get("q")) {
    input.value = given.get("q");
    run(input.value);
  }
}());
