// Browser test of signing out: after "Sign out" the server has ended the
// session, so the refresh token the tab held is refused (issue 11, point 4).
// The second round signs out of a tab whose access token the server no longer
// accepts (it lapsed while the tab sat open): the refresh token alone must
// still end the session.
//
// Driven by the Rust test `crates/vms/tests/browser.rs`, which starts the
// system; run by hand with VMS_URL, VMS_USER and VMS_PASSWORD set.

import { launch, signIn } from "./browser.mjs";

const url = process.env.VMS_URL;
const browser = await launch();
let failed = false;

/** Signs in, signs out, and checks both old tokens are refused. */
async function signOutRound(label, lapsedAccess) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await signIn(page, url, process.env.VMS_USER, process.env.VMS_PASSWORD);
  await page.waitForSelector(".tile", { timeout: 30000 });
  const held = await page.evaluate(() => JSON.parse(sessionStorage.getItem("vms.session") ?? "null"));
  if (!held?.refresh_token) throw new Error("no session held after signing in");
  if (lapsedAccess) {
    // What the server sees from a tab whose access token has expired: a token it refuses.
    await page.route("**/api/auth/logout", (route) =>
      route.continue({ headers: { ...route.request().headers(), authorization: "Bearer lapsed.access.token" } }),
    );
  }
  const logout = page.waitForResponse((r) => r.url().endsWith("/api/auth/logout"));
  await page.getByRole("button", { name: "Sign out" }).click();
  const answer = await logout;
  await page.waitForSelector('input[name="username"]', { timeout: 10000 });
  const left = await page.evaluate(() => sessionStorage.getItem("vms.session"));
  const refresh = await context.request.post(`${url}/api/auth/refresh`, {
    data: { refresh_token: held.refresh_token },
    failOnStatusCode: false,
  });
  const me = await context.request.get(`${url}/api/auth/me`, {
    headers: { authorization: `Bearer ${held.access_token}` },
    failOnStatusCode: false,
  });
  const ok = answer.status() === 204 && left === null && refresh.status() === 401 && me.status() === 401;
  console.log(
    `${label}: ${ok ? "ok" : "FAILED"} (logout ${answer.status()}, old refresh token ${refresh.status()}, ` +
      `old access token ${me.status()}, tokens left in the tab: ${left !== null})`,
  );
  await context.close();
  return ok;
}

try {
  const plain = await signOutRound("sign out", false);
  const lapsed = await signOutRound("sign out with a lapsed access token", true);
  failed = !(plain && lapsed);
} catch (e) {
  console.log(`sign out: FAILED (${e})`);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
