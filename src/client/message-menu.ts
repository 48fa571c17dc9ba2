/**
 * @module
 * A message's menu: a "more" button that opens an ARIA menu of actions. The keyboard works as in
 * a desktop menu: the first item takes the focus, the arrow keys, Home and End move it, Enter or
 * Space chooses, Escape closes and goes back to the button, Tab leaves. On a touch screen a long
 * press on the message opens it too. Which items a message gets is message-actions.ts's business.
 */
import { el } from "./dom";
import { closePopup, openPopup } from "./popup";

export interface MenuItem {
  label: string;
  run: () => void;
  /** Destructive (Delete): drawn in the danger colour. */
  danger?: boolean;
}

/** How long a finger rests on a message before its menu opens. */
const LONG_PRESS_MS = 500;
/** A finger that moves this far (px) is scrolling, not pressing. */
const PRESS_SLOP = 10;

let menus = 0;

/** The button that opens a menu of `items()` (asked each time: a message's state changes). */
export function menuButton(label: string, items: () => MenuItem[]): HTMLButtonElement {
  const id = `menu-${++menus}`;
  const button = el("button", {
    className: "more",
    text: "⋯",
    attrs: { type: "button", "aria-label": label, title: label, "aria-haspopup": "menu", "aria-expanded": "false", "aria-controls": id },
  });
  button.addEventListener("click", () => {
    if (button.getAttribute("aria-expanded") === "true") closePopup(true);
    else openMenu(button, id, items());
  });
  return button;
}

function openMenu(button: HTMLButtonElement, id: string, items: MenuItem[]): void {
  const entries = items.map(({ label, run, danger }) => {
    const entry = el("button", { className: danger ? "danger" : "", text: label, attrs: { type: "button", role: "menuitem", tabindex: "-1" } });
    entry.addEventListener("click", () => {
      // Back to the button first: an action may then move the focus on (to an editor, a dialog).
      closePopup(true);
      run();
    });
    return entry;
  });
  const menu = el("div", { className: "menu", attrs: { role: "menu", id, "aria-label": button.getAttribute("aria-label")! } }, ...entries);
  menu.addEventListener("keydown", (event) => {
    const at = entries.indexOf(document.activeElement as HTMLButtonElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: entries.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    entries[(to + entries.length) % entries.length]!.focus();
  });
  openPopup(button, menu);
  entries[0]?.focus();
}

/** Calls `run` when a finger rests on `target` without moving; the tap that may follow is swallowed. */
export function onLongPress(target: HTMLElement, run: () => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let start = { x: 0, y: 0 };
  let pressing = false;
  let fired = false;
  const cancel = (): void => {
    clearTimeout(timer);
    pressing = false;
  };
  target.addEventListener("pointerdown", (event) => {
    if (event.pointerType !== "touch") return;
    pressing = true;
    fired = false;
    start = { x: event.clientX, y: event.clientY };
    timer = setTimeout(() => {
      run();
      // Only now: `run` may click something itself; the click the finger's release makes is the one to swallow.
      fired = true;
    }, LONG_PRESS_MS);
  });
  target.addEventListener("pointermove", (event) => {
    if (Math.hypot(event.clientX - start.x, event.clientY - start.y) > PRESS_SLOP) cancel();
  });
  for (const type of ["pointerup", "pointercancel"]) target.addEventListener(type, cancel);
  // The browser's own long-press menu (copy, select) would cover ours.
  target.addEventListener("contextmenu", (event) => {
    if (pressing || fired) event.preventDefault();
  });
  // Some browsers follow a long touch with a tap's mousedown and click: that tap must neither take
  // the focus out of the menu (which would close it) nor click what is under the finger.
  target.addEventListener(
    "mousedown",
    (event) => {
      if (fired) event.preventDefault();
    },
    true,
  );
  target.addEventListener(
    "click",
    (event) => {
      if (!fired) return;
      fired = false;
      event.preventDefault();
      event.stopPropagation();
    },
    true,
  );
}
