// Debian's Chromium, headless, as the browser tests and benchmarks start it,
// and signing in to the app.

import { chromium } from "playwright-core";

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      // Without these Chromium reaches for Google's services, which this network refuses.
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}

/// Opens `url` and signs in through the form.
export async function signIn(page, url, user, password) {
  await page.goto(url);
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
}
