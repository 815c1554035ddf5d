/* Keeps open-call badges true after the build: recomputes each state from its data-opens and
   data-closes moments against the visitor's clock. Texts come from the page (#status-texts). */
(function () {
  "use strict";
  var DAY = 86400000;
  var source = document.getElementById("status-texts");
  if (!source || !Date.now) { return; }
  var texts;
  try { texts = JSON.parse(source.textContent); } catch (e) { return; }

  function offsetOf(iso) {  /* minutes east of UTC written in an ISO moment */
    var m = /([+-])(\d\d):?(\d\d)$/.exec(iso);
    return m ? (m[1] === "-" ? -1 : 1) * (60 * +m[2] + +m[3]) : 0;
  }
  function dayNumber(ms, offset) {  /* the calendar day of a moment at a fixed UTC offset */
    return Math.floor((ms + offset * 60000) / DAY);
  }
  function pluralText(count, days) {
    days = days || texts.days || {};
    var category = "other";
    try { category = new Intl.PluralRules(texts.lang).select(count); } catch (e) { /* old browser */ }
    var text = days[category] || days.other || days.many || days.one || "";
    return text.split("{count}").join(String(count));
  }
  function update(badge, now) {
    var opens = Date.parse(badge.getAttribute("data-opens"));
    var closesIso = badge.getAttribute("data-closes");
    var closes = Date.parse(closesIso);
    if (isNaN(opens) || isNaN(closes)) { return; }
    var offset = offsetOf(closesIso);
    var left = dayNumber(closes, offset) - dayNumber(now, offset);
    var state, label;
    if (now < opens) {
      state = "upcoming"; label = badge.getAttribute("data-upcoming");
    } else if (now > closes) {
      state = "closed"; label = badge.getAttribute("data-closed");
    } else {
      state = left <= texts.soonDays ? "closing_soon" : "open";
      label = left <= 0 ? texts.today : pluralText(left, state === "closing_soon" ? texts.soon : texts.days);
    }
    if (!label) { return; }
    badge.className = badge.className.replace(/\bstatus-[a-z_]+/g, "").replace(/\s+/g, " ").trim() +
      " status-" + state;
    badge.setAttribute("data-state", state);
    if (badge.textContent !== label) { badge.textContent = label; }
  }
  function accepting(element, now) {  /* between the opening and the deadline, both included */
    var opens = Date.parse(element.getAttribute("data-opens"));
    var closes = Date.parse(element.getAttribute("data-closes"));
    return !(now < opens) && !(now > closes);
  }
  function run() {
    var now = Date.now();
    var badges = document.querySelectorAll(".status[data-closes]");
    for (var i = 0; i < badges.length; i++) { update(badges[i], now); }
    var actions = document.querySelectorAll("[data-when-accepting]");
    for (var j = 0; j < actions.length; j++) {
      if (!isNaN(Date.parse(actions[j].getAttribute("data-closes")))) { actions[j].hidden = !accepting(actions[j], now); }
    }
    var ending = document.querySelectorAll("[data-until]");  /* shown until that moment, then hidden */
    for (var k = 0; k < ending.length; k++) {
      var until = Date.parse(ending[k].getAttribute("data-until"));
      if (!isNaN(until)) { ending[k].hidden = now > until; }
    }
    var later = document.querySelectorAll("[data-after]");  /* hidden until that moment, then shown */
    for (var m = 0; m < later.length; m++) {
      var after = Date.parse(later[m].getAttribute("data-after"));
      if (!isNaN(after)) { later[m].hidden = !(now > after); }
    }
  }
  run();
  setInterval(run, 60000);
}());
