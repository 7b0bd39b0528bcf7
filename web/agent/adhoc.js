// adhoc.js - reference codes: create an ad-hoc code for a customer's email.

import { attempt } from './alerts.js';
import { siteApi } from './api.js';
import { part, show } from './dom.js';


export async function createAdhoc(event) {
  event.preventDefault();
  const email = part('adhoc-email').value.trim();
  await attempt(async () => {
    const r = await siteApi('adhoc', { attendeeEmail: email, routeToAgentQueue: part('adhoc-mine').checked });
    part('adhoc-code').textContent = r.routeId;
    const expiry = part('adhoc-expiry');
    expiry.dateTime = r.expiresAt;
    expiry.textContent = new Date(r.expiresAt).toLocaleString();
    part('adhoc-url').textContent = r.url ?? '';
    show(part('adhoc-result'), true);
  });
}
