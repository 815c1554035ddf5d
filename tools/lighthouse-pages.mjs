// Runs Lighthouse (mobile settings: the default config) on each address given, one after another in
// one Chromium, and prints one JSON object: address -> {scores, failed audits}.
// Usage: CHROME_PATH=/usr/bin/chromium node tools/lighthouse-pages.mjs URL...
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const report = {};
try {
  for (const url of process.argv.slice(2)) {
    const result = await lighthouse(url, {
      port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES,
      // The screenshots are not scored and take time on a slow machine.
      skipAudits: ["screenshot-thumbnails", "final-screenshot", "full-page-screenshot"],
    });
    const lhr = result.lhr;
    const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? null]));
    const failed = [];
    for (const category of CATEGORIES) {
      for (const ref of lhr.categories[category]?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          failed.push({ category, id: ref.id, score: audit.score, value: audit.displayValue || "" });
        }
      }
    }
    report[url] = { scores, failed, runtimeError: lhr.runtimeError?.message || null };
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");
