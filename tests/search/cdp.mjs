// A minimal DevTools-protocol client for headless Chromium over
// --remote-debugging-pipe: no dependencies beyond Node. Used by
// tests/search/browser.mjs and scripts/compare-pagefind.mjs.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts Chromium; `close()` stops it and removes its profile. */
export function launch(chromium) {
  const profile = mkdtempSync(join(tmpdir(), "plansite-chromium-"));
  const browser = spawn(
    chromium,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      "--remote-debugging-pipe",
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  browser.stderr.on("data", (d) => (stderr += d));

  // JSON messages separated by NUL: fd 3 to Chromium, fd 4 from it.
  let nextId = 0;
  const pending = new Map();
  let buffer = "";
  browser.stdio[4].on("data", (chunk) => {
    buffer += chunk.toString("utf8");
    let end;
    while ((end = buffer.indexOf("\0")) >= 0) {
      const message = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      const waiting = message.id !== undefined && pending.get(message.id);
      if (!waiting) continue;
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(`${message.error.message} (${message.error.code})`));
      else waiting.resolve(message.result);
    }
  });
  browser.on("exit", (code) => {
    for (const { reject } of pending.values()) reject(new Error(`chromium exited (${code}): ${stderr.slice(-500)}`));
  });

  function send(method, params = {}, sessionId) {
    const id = ++nextId;
    const message = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    browser.stdio[3].write(`${JSON.stringify(message)}\0`);
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  }

  /** A new tab, with helpers bound to it. */
  async function newPage() {
    const { targetId } = await send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
    const call = (method, params) => send(method, params, sessionId);
    const evaluate = async (expression) => {
      const r = await call("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
      if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
      return r.result.value;
    };
    const waitFor = async (expression, what, ms = 10000) => {
      for (let t = 0; t < ms; t += 100) {
        const value = await evaluate(expression);
        if (value) return value;
        await sleep(100);
      }
      throw new Error(`waited ${ms / 1000} s for ${what}`);
    };
    const key = async (key, code, keyCode) => {
      const base = { key, code, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode };
      await call("Input.dispatchKeyEvent", { type: "rawKeyDown", ...base });
      if (key === "Enter") await call("Input.dispatchKeyEvent", { type: "char", text: "\r", ...base });
      await call("Input.dispatchKeyEvent", { type: "keyUp", ...base });
    };
    const goto = async (url) => {
      await call("Page.navigate", { url });
      await waitFor("document.readyState === 'complete' && location.href !== 'about:blank'", url);
    };
    const close = () => send("Target.closeTarget", { targetId });
    await call("Page.enable");
    await call("Runtime.enable");
    await call("Network.enable");
    await call("Network.setCacheDisabled", { cacheDisabled: true });
    return { call, evaluate, waitFor, key, goto, close };
  }

  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    await send("Browser.close").catch(() => {});
    if (browser.exitCode === null && browser.signalCode === null) {
      await Promise.race([new Promise((r) => browser.once("exit", r)), sleep(3000)]);
      browser.kill("SIGKILL");
    }
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // A profile folder left in the temporary directory is harmless.
    }
  }

  return { send, newPage, close, stderr: () => stderr };
}

export { sleep };
