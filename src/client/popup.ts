/**
 * @module
 * A small panel that opens next to the button that asked for it (a message's menu, the emoji
 * picker): one at a time, above the button when the log has no room below it, closed by Escape
 * (which gives the focus back to the button), by a click elsewhere, or when the focus leaves it.
 */

interface Open {
  trigger: HTMLElement;
  panel: HTMLElement;
  close: () => void;
}

let current: Open | undefined;

/** Shows `panel` right after `trigger` (whose parent positions it), closing any other. */
export function openPopup(trigger: HTMLElement, panel: HTMLElement): void {
  closePopup(false);
  const outside = (event: Event): void => {
    if (!panel.contains(event.target as Node) && !trigger.contains(event.target as Node)) closePopup(false);
  };
  const close = (): void => {
    document.removeEventListener("pointerdown", outside, true);
    panel.remove();
    trigger.setAttribute("aria-expanded", "false");
  };
  panel.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    event.stopPropagation();
    closePopup(true);
  });
  panel.addEventListener("focusout", (event) => {
    if (event.relatedTarget instanceof Node && !panel.contains(event.relatedTarget)) closePopup(false);
  });
  document.addEventListener("pointerdown", outside, true);
  trigger.setAttribute("aria-expanded", "true");
  trigger.after(panel);
  current = { trigger, panel, close };
  place(trigger, panel);
}

/** Closes the open panel, if any; `refocus` gives the focus back to the button that opened it. */
export function closePopup(refocus: boolean): void {
  const open = current;
  if (!open) return;
  current = undefined;
  open.close();
  if (refocus) open.trigger.focus();
}

/**
 * Below the button, unless the scrolling box around it (or the window) has no room there; on the
 * side the stylesheet says, unless it would stick out of that box.
 */
function place(trigger: HTMLElement, panel: HTMLElement): void {
  const box = scroller(trigger)?.getBoundingClientRect() ?? { top: 0, bottom: innerHeight, left: 0, right: innerWidth };
  const { top, bottom } = trigger.getBoundingClientRect();
  const height = panel.offsetHeight;
  panel.classList.toggle("up", bottom + height > box.bottom && top - height >= box.top);
  const { left, right } = panel.getBoundingClientRect();
  if (right > box.right) panel.classList.add("leftward");
  else if (left < box.left) panel.classList.add("rightward");
}

function scroller(node: HTMLElement): HTMLElement | undefined {
  for (let parent = node.parentElement; parent; parent = parent.parentElement) {
    if (/auto|scroll/.test(getComputedStyle(parent).overflowY)) return parent;
  }
  return undefined;
}
