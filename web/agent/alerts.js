// alerts.js - the alert region (errors, role="alert") and the polite live
// region for announcements; attempt() runs an action and shows its error.

import { part, show } from './dom.js';


export function showError(message) {
  part('alert-text').textContent = message;
  show(part('alert'), true);
}

export function clearError(message) {
  if (message === undefined || part('alert-text').textContent === message) show(part('alert'), false);
}

/** Run an action; show an ApiError's (or any error's) message. */
export async function attempt(action) {
  try {
    return await action();
  } catch (err) {
    showError(err?.message || String(err));
    return undefined;
  }
}

export function announce(text) {
  const region = part('announcer');
  region.textContent = '';
  // A change the next frame is announced even when the text repeats.
  requestAnimationFrame(() => { region.textContent = text; });
}
