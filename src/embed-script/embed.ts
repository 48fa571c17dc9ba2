/**
 * @module
 * embed.js, the one script a site adds to show a room (docs/operations.md, "Embedding"):
 *
 *     <script src="https://HOST/embed.js" data-room="support-42" async></script>
 *
 * puts the room where the script stands (or, with `data-mode="launcher"`, behind a floating
 * button), and defines `<edge-chat room="...">` for pages that prefer markup. It imports only the
 * postMessage contract (src/wire/embed-messages.ts) and its own files, to stay small.
 */
import { defineEdgeChat } from "./element";

/** The attributes a script tag passes on to its element, as `data-*`. */
const PASSED = ["room", "mode", "theme", "accent", "background", "text", "radius", "font", "lang", "label", "auth", "max-height"];

const script = document.currentScript;
if (script instanceof HTMLScriptElement) {
  defineEdgeChat(new URL(script.src).origin);
  if (script.dataset.room) {
    const element = document.createElement("edge-chat");
    for (const name of PASSED) {
      const value = script.getAttribute(`data-${name}`);
      if (value !== null) element.setAttribute(name, value);
    }
    script.after(element);
  }
}
