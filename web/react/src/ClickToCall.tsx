/*
 * <ClickToCall>: renders a div and mounts the c2c widget into it with window.ClickToCall.mount,
 * loading the widget script once per page. Token changes go through setToken (no remount);
 * mode, number, queue, layout, position, isolation, api and scriptUrl changes remount; the widget's CustomEvents
 * call the latest on* props. Server rendering renders the empty div only (no window/document).
 */
'use client';

import { forwardRef, useCallback, useEffect, useRef } from 'react';
import type { ForwardedRef } from 'react';
import { DEFAULT_SCRIPT_URL, getClickToCall, loadClickToCall } from './loadScript.js';
import type {
  C2CEventMap,
  C2CEventType,
  ClickToCallAPI,
  ClickToCallOptions,
  ClickToCallProps,
} from './types.js';

/** The option props, copied into the mount options when defined. tokenProvider is handled apart. */
const OPTION_KEYS = [
  'token',
  'api',
  'mode',
  'number',
  'queue',
  'label',
  'displayName',
  'locale',
  'theme',
  'layout',
  'position',
  'buttonClass',
  'secondaryClass',
  'dangerClass',
  'closeClass',
  'inputClass',
  'panelClass',
  'attributes',
  'hideWhenClosed',
  'isolation',
] as const;

/** The on* prop each CustomEvent calls. */
const EVENT_PROPS = {
  'c2c:ready': 'onReady',
  'c2c:state': 'onStateChange',
  'c2c:message': 'onMessage',
  'c2c:error': 'onError',
  'c2c:ended': 'onEnded',
} as const satisfies Record<C2CEventType, keyof ClickToCallProps>;

type EventHandler<K extends C2CEventType> = (detail: C2CEventMap[K]['detail'], event: C2CEventMap[K]) => void;

/** The live mount of one component: what setToken needs. */
interface Session {
  api: ClickToCallAPI;
  el: HTMLElement;
  token: string | undefined;
}

function buildOptions(props: ClickToCallProps, latest: { current: ClickToCallProps }): ClickToCallOptions {
  const options: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    if (props[key] !== undefined) options[key] = props[key];
  }
  if (props.tokenProvider) {
    // A stable function that always asks the current tokenProvider prop.
    options.tokenProvider = () => {
      const current = latest.current;
      if (current.tokenProvider) return current.tokenProvider();
      if (current.token !== undefined) return Promise.resolve(current.token);
      return Promise.reject(new Error('ClickToCall: no tokenProvider'));
    };
  }
  return options as ClickToCallOptions;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

function emitError(el: HTMLElement, code: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  el.dispatchEvent(new CustomEvent('c2c:error', { detail: { code, message } }));
}

function setForwardedRef<T>(ref: ForwardedRef<T>, value: T | null): void {
  if (typeof ref === 'function') ref(value);
  else if (ref) ref.current = value;
}

function ClickToCallImpl(props: ClickToCallProps, forwardedRef: ForwardedRef<HTMLDivElement>) {
  const { scriptUrl = DEFAULT_SCRIPT_URL, id, className, style, token, api, mode, number, queue, layout, position, isolation } =
    props;
  const elRef = useRef<HTMLDivElement | null>(null);
  const latest = useRef(props);
  const session = useRef<Session | null>(null);

  const setRef = useCallback(
    (node: HTMLDivElement | null) => {
      elRef.current = node;
      setForwardedRef(forwardedRef, node);
    },
    [forwardedRef],
  );

  // First effect of every commit: the mount and the listeners below read the latest props.
  useEffect(() => {
    latest.current = props;
  });

  // The CustomEvents, subscribed once (before mounting, so a c2c:ready dispatched inside mount()
  // is seen); each handler calls whatever on* prop is current.
  useEffect(() => {
    const el = elRef.current;
    if (!el) return undefined;
    const listeners = (Object.keys(EVENT_PROPS) as C2CEventType[]).map((type) => {
      const listener = (event: Event) => {
        const handler = latest.current[EVENT_PROPS[type]] as EventHandler<typeof type> | undefined;
        if (handler) handler((event as CustomEvent).detail, event as C2CEventMap[typeof type]);
      };
      el.addEventListener(type, listener);
      return [type, listener] as const;
    });
    return () => {
      for (const [type, listener] of listeners) el.removeEventListener(type, listener);
    };
  }, []);

  // Load the script (shared), then mount; unmount on cleanup. A cleanup before the script has
  // loaded (unmount, StrictMode's second pass, a remounting prop change) cancels the mount.
  useEffect(() => {
    const el = elRef.current;
    if (!el) return undefined;
    let active = true;
    let mounted: ClickToCallAPI | null = null;
    const mount = (c2c: ClickToCallAPI) => {
      if (!active) return;
      const options = buildOptions(latest.current, latest);
      let result: unknown;
      try {
        result = c2c.mount(el, options);
      } catch (err) {
        emitError(el, 'mount_failed', err);
        return;
      }
      mounted = c2c;
      const live: Session = { api: c2c, el, token: options.token };
      session.current = live;
      if (isThenable(result)) {
        // The widget reports a failed mount itself (c2c:error); no widget, no setToken.
        result.then(undefined, () => {
          if (session.current === live) session.current = null;
        });
      }
    };
    const loaded = getClickToCall();
    if (loaded) {
      mount(loaded);
    } else {
      loadClickToCall(scriptUrl).then(mount, (err: unknown) => {
        if (active) emitError(el, 'script_load_failed', err);
      });
    }
    return () => {
      active = false;
      if (!mounted) return;
      session.current = null;
      try {
        mounted.unmount(el);
      } catch (err) {
        emitError(el, 'unmount_failed', err);
      }
    };
  }, [scriptUrl, api, mode, number, queue, layout, position, isolation]);

  // A new token goes to the live widget; before the mount, the mount itself reads the latest one.
  useEffect(() => {
    const current = session.current;
    if (!current || token === undefined || token === current.token) return;
    current.token = token;
    try {
      current.api.setToken(current.el, token);
    } catch (err) {
      emitError(current.el, 'set_token_failed', err);
    }
  }, [token]);

  return <div ref={setRef} id={id} className={className} style={style} />;
}

/**
 * The c2c widget as a React component. See ClickToCallProps; the ref is the div the widget
 * mounts into.
 */
export const ClickToCall = forwardRef<HTMLDivElement, ClickToCallProps>(ClickToCallImpl);
ClickToCall.displayName = 'ClickToCall';
