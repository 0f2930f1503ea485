// Benchmark, run by hand (not by `node --test`): the review screen of an inspection with 200
// pieces of evidence, in Chromium at 1280×800 on loopback. Prints the time from navigation to
// the first thumbnail on screen, and what was downloaded before the reviewer scrolls
// (thumbnails and everything else), then after scrolling to the end. Record the figures in
// BENCHMARKS.md.
//
//   KIEMTRA_BIN=… KIEMTRA_DIST=… node bench-review.mjs [pieces] [runs]

import { REVIEWER, signIn, startAll, submittedInspectionWithPhotos, tokenOf, api } from './support.mjs';

const pieces = Number(process.argv[2] ?? 200);
const runs = Number(process.argv[3] ?? 5);

const env = await startAll('bench-review');
try {
  const { baseUrl } = env;
  const started = Date.now();
  const { id } = await submittedInspectionWithPhotos(baseUrl, env.page, {
    decisionNumber: '900/QĐ-TTr', photos: pieces, attached: 5,
  });
  // Every thumbnail made before measuring: the screen is timed, not the server's back-log.
  const token = await tokenOf(baseUrl, REVIEWER);
  for (;;) {
    const detail = await api(baseUrl, 'GET', `/inspections/${id}`, { token });
    const pending = detail.evidence.filter((e) => e.derivatives.state !== 'done').length;
    if (pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.log(`set-up: ${pieces} photos uploaded, thumbnails made, in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const results = [];
  for (let run = 0; run < runs; run += 1) {
    // A fresh browser profile each run: nothing cached.
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    const page = await context.newPage();
    // Bytes on the wire, as Chromium counts them (headers and body, compressed), from the
    // navigation to the record on; a service worker hides them from the Resource Timing API.
    const received = [];
    let counting = false;
    // The context sees the service worker's own requests too; a page's request answered by the
    // worker is counted there, not twice.
    context.on('requestfinished', async (request) => {
      if (!counting) return;
      if (await request.response().then((r) => r?.fromServiceWorker()).catch(() => false)) return;
      const sizes = await request.sizes().catch(() => null);
      if (sizes) received.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize });
    });
    await signIn(page, baseUrl, REVIEWER);
    await page.waitForURL(/\/agency$/);
    counting = true;
    await page.goto(`${baseUrl}/agency/inspections/${id}`);
    await page.waitForFunction(() => {
      const img = document.querySelector('img.review-thumb__image');
      return img && img.complete && img.naturalWidth > 0;
    }, null, { polling: 'raf', timeout: 30_000 });
    const firstThumbnailMs = await page.evaluate(() => performance.now());
    // Let the thumbnails near the screen finish, then count what came.
    await page.waitForLoadState('networkidle');
    const tally = async () => {
      const seen = [...received];
      const thumbnails = seen.filter((r) => r.url.includes('/thumbnail'));
      const sum = (list) => list.reduce((total, r) => total + r.bytes, 0);
      return {
        thumbnails: thumbnails.length,
        thumbnailBytes: sum(thumbnails),
        allBytes: sum(seen),
        cards: await page.locator('.review-card').count(),
      };
    };
    const before = await tally();
    // Scroll to the end, a screen at a time, and let the thumbnails come.
    for (;;) {
      const done = await page.evaluate(() => {
        window.scrollBy(0, window.innerHeight);
        return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
      });
      await page.waitForTimeout(50);
      if (done) break;
    }
    await page.waitForLoadState('networkidle');
    const after = await tally();
    results.push({ firstThumbnailMs, before, after });
    console.log(`run ${run + 1}: first thumbnail ${firstThumbnailMs.toFixed(0)} ms; before scrolling ${before.thumbnails} thumbnails ` +
      `(${(before.thumbnailBytes / 1024).toFixed(0)} KiB), ${(before.allBytes / 1024).toFixed(0)} KiB in all; ` +
      `after scrolling ${after.thumbnails} thumbnails (${(after.thumbnailBytes / 1024).toFixed(0)} KiB); ${before.cards} cards`);
    await context.close();
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`median of ${runs}: first thumbnail ${median(results.map((r) => r.firstThumbnailMs)).toFixed(0)} ms; ` +
    `before scrolling ${median(results.map((r) => r.before.thumbnails))} thumbnails, ` +
    `${(median(results.map((r) => r.before.thumbnailBytes)) / 1024).toFixed(0)} KiB of thumbnails, ` +
    `${(median(results.map((r) => r.before.allBytes)) / 1024).toFixed(0)} KiB in all`);
} finally {
  await env.stop();
}
