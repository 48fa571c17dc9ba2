/**
 * @module
 * The element's own styles, in its shadow root: the host's stylesheet cannot reach in, and a
 * constructed stylesheet needs no `'unsafe-inline'` in the host's Content-Security-Policy. The
 * launcher follows the same custom properties as the frame. An inline frame starts
 * `--edge-chat-height` high, then follows its content (element.ts) between `--edge-chat-min-height`
 * and `--edge-chat-max-height`.
 */

export const STYLES = `
:host { display: block; }
:host([mode="launcher"]) { display: contents; }
iframe { display: block; width: 100%; min-width: 300px; height: var(--edge-chat-height, 520px); border: 0;
  min-height: var(--edge-chat-min-height, 320px); max-height: var(--edge-chat-max-height, 640px);
  border-radius: var(--edge-chat-radius, 14px); background: var(--edge-chat-background, transparent); color-scheme: normal; }
.launcher { position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483000; width: 3.5rem; height: 3.5rem; border: 0;
  border-radius: 50%; background: var(--edge-chat-accent, #4f46e5); color: #fff; cursor: pointer; display: grid; place-items: center;
  box-shadow: 0 4px 16px rgb(16 24 40 / 25%); }
.launcher:focus-visible { outline: 3px solid var(--edge-chat-accent, #4f46e5); outline-offset: 3px; }
.launcher svg { width: 1.6rem; height: 1.6rem; }
.badge { position: absolute; top: -0.2rem; right: -0.2rem; min-width: 1.3rem; height: 1.3rem; padding: 0 0.3rem; border-radius: 0.65rem;
  background: #dc2626; color: #fff; font: 600 0.75rem/1.3rem system-ui, sans-serif; text-align: center; }
.panel { position: fixed; right: 1rem; bottom: 5.5rem; z-index: 2147483000; width: min(380px, calc(100vw - 2rem));
  height: min(600px, calc(100vh - 7rem)); border-radius: var(--edge-chat-radius, 14px); overflow: hidden;
  box-shadow: 0 8px 32px rgb(16 24 40 / 30%); }
.panel iframe { height: 100%; min-width: 0; min-height: 0; max-height: none; border-radius: 0; }
[hidden] { display: none !important; }
`;

export const CHAT_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true" viewBox="0 0 24 24"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>';
