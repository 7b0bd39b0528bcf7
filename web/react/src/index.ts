/*
 * Entry point of @c2c/react: the <ClickToCall> component, the script loader it uses (for
 * preloading or imperative use), and the types of the widget's API, options, events and props.
 */
export { ClickToCall } from './ClickToCall.js';
export { DEFAULT_SCRIPT_URL, getClickToCall, loadClickToCall } from './loadScript.js';
export type {
  C2CCallState,
  C2CChatState,
  C2CEndedDetail,
  C2CErrorDetail,
  C2CEventMap,
  C2CEventType,
  C2CHideWhenClosed,
  C2CIsolation,
  C2CMessageDetail,
  C2CMessageRole,
  C2CMode,
  C2CReadyDetail,
  C2CState,
  C2CStateDetail,
  C2CTheme,
  C2CTokenProvider,
  ClickToCallAPI,
  ClickToCallOptions,
  ClickToCallProps,
} from './types.js';
