// Runs Lighthouse (mobile settings: the default config) on each address given, one after another in
// one Chromium, and prints one JSON object: address -> {scores, failed audits, tries}.
// Usage: CHROME_PATH=/usr/bin/chromium node tools/lighthouse-pages.mjs URL...
//
// The mobile device, screen and simulated slow 4G network and CPU are Lighthouse's defaults. Only
// what is not scored or does not apply to pages served from this machine is left out, so that 40
// pages take about 2.5 minutes instead of 4.5: the screenshots, the back/forward-cache audit (not
// scored; it leaves the page and comes back), and Lighthouse's one-second waits for the network
// and the CPU to go quiet, shortened to half a second (the metrics are simulated from the recorded
// trace, not read off the clock). A page whose report lacks a score is measured once more.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const FLAGS = {
  output: "json", logLevel: "error", onlyCategories: CATEGORIES,
  skipAudits: ["screenshot-thumbnails", "final-screenshot", "full-page-screenshot", "bf-cache"],
  disableFullPageScreenshot: true,
  pauseAfterFcpMs: 250, pauseAfterLoadMs: 500, networkQuietThresholdMs: 500, cpuQuietThresholdMs: 500,
};
const TRIES = 2;
const report = {};
try {
  for (const url of process.argv.slice(2)) {
    let lhr, scores, tries = 0;
    do {
      tries += 1;
      lhr = (await lighthouse(url, { ...FLAGS, port: chrome.port })).lhr;
      scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? null]));
    } while (tries < TRIES && Object.values(scores).includes(null));
    const failed = [];
    for (const category of CATEGORIES) {
      for (const ref of lhr.categories[category]?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          failed.push({ category, id: ref.id, score: audit.score, value: audit.displayValue || "" });
        }
      }
    }
    report[url] = { scores, failed, tries, runtimeError: lhr.runtimeError?.message || null };
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");
