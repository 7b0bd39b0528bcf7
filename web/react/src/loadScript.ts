/*
 * Loads the widget script (/c2c.js) at most once per page and resolves with window.ClickToCall.
 * Shared by every <ClickToCall> instance: one promise per absolute script URL, reusing a
 * window.ClickToCall that is already defined or a <script src> already in the document.
 * Nothing here runs at import time; calling it without a DOM (server rendering) rejects.
 */
import type { ClickToCallAPI } from './types.js';

/** Where the component loads the widget from unless told otherwise. */
export const DEFAULT_SCRIPT_URL = '/c2c.js';

/** In-flight or settled loads by absolute URL. A failed load is forgotten so a later call retries. */
const loads = new Map<string, Promise<ClickToCallAPI>>();

function isApi(value: unknown): value is ClickToCallAPI {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ClickToCallAPI).mount === 'function' &&
    typeof (value as ClickToCallAPI).unmount === 'function'
  );
}

/** window.ClickToCall if the widget script has already run, else undefined (also on the server). */
export function getClickToCall(): ClickToCallAPI | undefined {
  if (typeof window === 'undefined') return undefined;
  const api = (window as unknown as { ClickToCall?: unknown }).ClickToCall;
  return isApi(api) ? api : undefined;
}

function findScript(href: string): HTMLScriptElement | undefined {
  const scripts = document.getElementsByTagName('script');
  for (let i = 0; i < scripts.length; i++) {
    if (scripts[i].src === href) return scripts[i];
  }
  return undefined;
}

/**
 * Resolves with window.ClickToCall, loading `src` first if the widget is not there yet.
 * Several calls (several components) share one <script> element and one promise.
 */
export function loadClickToCall(src: string = DEFAULT_SCRIPT_URL): Promise<ClickToCallAPI> {
  const ready = getClickToCall();
  if (ready) return Promise.resolve(ready);
  if (typeof document === 'undefined') {
    return Promise.reject(new Error('ClickToCall: the widget script can only be loaded in a browser'));
  }
  const href = new URL(src, document.baseURI).href;
  const known = loads.get(href);
  if (known) return known;

  const load = new Promise<ClickToCallAPI>((resolve, reject) => {
    const existing = findScript(href);
    const script = existing || document.createElement('script');
    const cleanup = () => {
      script.removeEventListener('load', onLoad);
      script.removeEventListener('error', onError);
    };
    const fail = (message: string) => {
      cleanup();
      loads.delete(href);
      if (!existing) script.remove();
      reject(new Error(message));
    };
    function onLoad() {
      const api = getClickToCall();
      if (!api) {
        fail(`ClickToCall: ${href} loaded but did not define window.ClickToCall`);
        return;
      }
      cleanup();
      resolve(api);
    }
    function onError() {
      fail(`ClickToCall: failed to load ${href}`);
    }
    script.addEventListener('load', onLoad);
    script.addEventListener('error', onError);
    if (!existing) {
      script.src = href;
      script.async = true;
      (document.head || document.documentElement).appendChild(script);
    }
  });
  loads.set(href, load);
  return load;
}
