/** Reads `options.notify`: callback targets, each an http(s) URL and the events it wants. */
import {
  MAX_NOTIFY_TARGETS,
  MAX_NOTIFY_URL_CHARS,
  NOTIFY_EVENTS,
  type NotifyEventType,
  type NotifyTarget,
} from '../notify-events';
import { suggestion } from './closest-name';
import { isFields, own, report, reportUnknownKeys, type Fields, type Scope } from './fields';

/** The targets, every problem reported: a bad URL, an event not in the list, an unknown key. */
export function readNotify(scope: Scope, source: Fields): NotifyTarget[] {
  const value = own(source, 'notify');
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(scope, 'notify', 'must be a list of { url, events? }');
    return [];
  }
  if (value.length > MAX_NOTIFY_TARGETS) report(scope, 'notify', `must have at most ${MAX_NOTIFY_TARGETS} targets`);
  return value.flatMap((item, index): NotifyTarget[] => {
    const at: Scope = { ...scope, prefix: `${scope.prefix}notify[${index}].` };
    if (!isFields(item)) {
      report(scope, `notify[${index}]`, 'must be an object like { "url": "https://...", "events": [...] }');
      return [];
    }
    reportUnknownKeys(at, item, ['url', 'events']);
    const url = readUrl(at, own(item, 'url'));
    const events = readEvents(at, own(item, 'events'));
    return url === null || events === null ? [] : [{ url, events }];
  });
}

function readUrl(scope: Scope, value: unknown): string | null {
  if (typeof value !== 'string' || value === '') {
    report(scope, 'url', 'must be an http or https URL');
    return null;
  }
  if (value.length > MAX_NOTIFY_URL_CHARS) {
    report(scope, 'url', `must be at most ${MAX_NOTIFY_URL_CHARS} characters`);
    return null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    report(scope, 'url', `"${value}" is not a URL`);
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    report(scope, 'url', `must be an http or https URL, not ${url.protocol}`);
    return null;
  }
  if (url.username || url.password) {
    report(scope, 'url', 'must not carry credentials (the worker signs each delivery instead)');
    return null;
  }
  return value;
}

function readEvents(scope: Scope, value: unknown): NotifyEventType[] | null {
  if (value === undefined) return [...NOTIFY_EVENTS];
  if (!Array.isArray(value) || value.length === 0) {
    report(scope, 'events', `must be a non-empty list of ${NOTIFY_EVENTS.join(', ')}`);
    return null;
  }
  let ok = true;
  for (const event of value) {
    if ((NOTIFY_EVENTS as readonly unknown[]).includes(event)) continue;
    ok = false;
    const named = typeof event === 'string' ? `"${event}"${suggestion(event, NOTIFY_EVENTS)}` : JSON.stringify(event);
    report(scope, 'events', `unknown event ${named}; events are ${NOTIFY_EVENTS.join(', ')}`);
  }
  return ok ? [...new Set(value as NotifyEventType[])] : null;
}
