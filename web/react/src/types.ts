/*
 * Types of the c2c widget's public JavaScript API (window.ClickToCall, its mount options and the
 * CustomEvents it dispatches on the mounted element) and of the React component's props.
 * Types only: this module emits no runtime code.
 */
import type { CSSProperties } from 'react';

/** What the widget offers: a phone call from the browser, a chat, or a chat that can escalate to video. */
export type C2CMode = 'call' | 'chat' | 'video';

/** Colour scheme; 'auto' follows the visitor's prefers-color-scheme. */
export type C2CTheme = 'light' | 'dark' | 'auto';

/** 'floating': a launcher bubble fixed in a corner with its panel above it; 'inline': in the page's flow. */
export type C2CLayout = 'inline' | 'floating';

/** The corner of a floating widget. */
export type C2CPosition = 'bottom-right' | 'bottom-left';

/** 'iframe' renders the widget in an iframe so the page's CSS cannot reach it. */
export type C2CIsolation = 'none' | 'iframe';

/**
 * What the widget does while its panel is closed and no agent is available:
 * true or 'hide' hides the launcher, 'grey' shows it disabled, false keeps it.
 */
export type C2CHideWhenClosed = boolean | 'hide' | 'grey';

/** States of a call (mode 'call'). */
export type C2CCallState = 'idle' | 'dialing' | 'queued' | 'ringing' | 'connected' | 'ended';

/** States of a chat (modes 'chat' and 'video'). */
export type C2CChatState = 'idle' | 'starting' | 'waiting' | 'connected' | 'ended';

/**
 * The value of `c2c:state`'s `detail.state`. The known names are listed for completion; any other
 * string a later widget version reports is accepted too.
 */
export type C2CState = C2CCallState | C2CChatState | 'unknown' | (string & {});

/** Who wrote a message of `c2c:message`. */
export type C2CMessageRole = 'customer' | 'agent' | 'system' | (string & {});

/** Returns a fresh token whenever the widget needs one (first use and expiry). */
export type C2CTokenProvider = () => Promise<string>;

/** The options of `window.ClickToCall.mount(el, options)`. */
export interface ClickToCallOptions {
  /** A token issued by your server for this visitor. */
  token?: string;
  /** Called whenever the widget needs a (new) token; an alternative to `token`. */
  tokenProvider?: C2CTokenProvider;
  /** Base URL of the c2c server API (defaults to the origin /c2c.js was loaded from). */
  api?: string;
  mode?: C2CMode;
  /** The number a call dials (mode 'call'). */
  number?: string;
  /** The queue the contact goes to. */
  queue?: string;
  /** Text of the launcher button. */
  label?: string;
  /** The visitor's name as agents see it. */
  displayName?: string;
  /** Language of the widget's texts: 'en', 'es', 'fr', 'de', 'pt' or 'ja' (by language: 'es-MX', 'pt-BR'). */
  locale?: string;
  theme?: C2CTheme;
  /** In the page's flow (default) or floating in a corner. */
  layout?: C2CLayout;
  /** The corner of a floating widget (default 'bottom-right'). */
  position?: C2CPosition;
  /**
   * Host classes per button role, replacing the widget's own on those buttons: the primary
   * actions (e.g. Bootstrap's 'btn btn-primary'), the secondary ones (mute, camera, decline,
   * skip), the ones that end something (end chat, hang up, end video) and the panel's close.
   */
  buttonClass?: string;
  secondaryClass?: string;
  dangerClass?: string;
  closeClass?: string;
  /** Host classes for the widget's inputs (replacing its own) and added to its panel. */
  inputClass?: string;
  panelClass?: string;
  /** Contact attributes passed to the agent. */
  attributes?: Record<string, string>;
  hideWhenClosed?: C2CHideWhenClosed;
  isolation?: C2CIsolation;
}

/**
 * `window.ClickToCall`, defined once by /c2c.js. mount may finish asynchronously (it returns a
 * promise; a failure is also dispatched as c2c:error on the element); unmount may be called while
 * it is still pending.
 */
export interface ClickToCallAPI {
  mount(el: HTMLElement, options: ClickToCallOptions): void | Promise<unknown>;
  unmount(el: HTMLElement): void;
  setToken(el: HTMLElement, token: string): void;
  readonly version?: string;
}

/** `detail` of `c2c:ready`. */
export interface C2CReadyDetail {
  mode: C2CMode;
}

/** `detail` of `c2c:state`. */
export interface C2CStateDetail {
  state: C2CState;
  /** Which machine changed: 'widget', 'chat', 'call' or 'video'. */
  owner?: string;
}

/** `detail` of `c2c:message`. */
export interface C2CMessageDetail {
  text: string;
  role: C2CMessageRole;
}

/**
 * `detail` of `c2c:error`. Besides the widget's own codes, the React component reports
 * 'script_load_failed' (scriptUrl failed to load or did not define window.ClickToCall) and
 * 'mount_failed' / 'unmount_failed' / 'set_token_failed' (that ClickToCall method threw).
 */
export interface C2CErrorDetail {
  code: string;
  message: string;
}

/** `detail` of `c2c:ended`. */
export interface C2CEndedDetail {
  reason: string;
}

/** The CustomEvents the widget dispatches on the mounted element, by type. */
export interface C2CEventMap {
  'c2c:ready': CustomEvent<C2CReadyDetail>;
  'c2c:state': CustomEvent<C2CStateDetail>;
  'c2c:message': CustomEvent<C2CMessageDetail>;
  'c2c:error': CustomEvent<C2CErrorDetail>;
  'c2c:ended': CustomEvent<C2CEndedDetail>;
}

export type C2CEventType = keyof C2CEventMap;

/** Props of the `<ClickToCall>` component: the mount options plus loading, DOM and event props. */
export interface ClickToCallProps extends ClickToCallOptions {
  /** URL of the widget script; loaded once per page however many components use it. Default '/c2c.js'. */
  scriptUrl?: string;
  /** id, className and style of the div the widget mounts into. */
  id?: string;
  className?: string;
  style?: CSSProperties;
  /** `c2c:ready`: the widget is mounted and has rendered. */
  onReady?: (detail: C2CReadyDetail, event: C2CEventMap['c2c:ready']) => void;
  /** `c2c:state`: the call's or chat's state changed. */
  onStateChange?: (detail: C2CStateDetail, event: C2CEventMap['c2c:state']) => void;
  /** `c2c:message`: a chat message was sent or received. */
  onMessage?: (detail: C2CMessageDetail, event: C2CEventMap['c2c:message']) => void;
  /** `c2c:error`: the widget (or the loading of its script) failed. */
  onError?: (detail: C2CErrorDetail, event: C2CEventMap['c2c:error']) => void;
  /** `c2c:ended`: the call or chat ended. */
  onEnded?: (detail: C2CEndedDetail, event: C2CEventMap['c2c:ended']) => void;
}
