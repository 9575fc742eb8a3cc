// Lighthouse's accessibility audits of a page as it stands (snapshot mode): the state a
// browser driver brought it to (the pacer running, the questions, the summary), which no
// address opens. bench/lighthouse_a11y.py runs it; it prints Lighthouse's JSON report.
//
//     node bench/lighthouse_snapshot.mjs PORT URL
//
// PORT is the browser's remote-debugging port; URL the address of the tab to audit. The
// tab keeps its own size, colour scheme and clock: nothing is emulated here.

import puppeteer from 'puppeteer-core';
import { snapshot } from 'lighthouse';

const [port, url] = process.argv.slice(2);
const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}`, defaultViewport: null });
try {
  const page = (await browser.pages()).find((p) => p.url() === url);
  if (!page) throw new Error(`no tab at ${url}`);
  const result = await snapshot(page, {
    config: {
      extends: 'lighthouse:default',
      settings: { onlyCategories: ['accessibility'], formFactor: 'mobile', screenEmulation: { disabled: true } },
    },
  });
  process.stdout.write(JSON.stringify(result.lhr));
} finally {
  await browser.disconnect();
}
