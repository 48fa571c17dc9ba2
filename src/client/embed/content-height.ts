/**
 * @module
 * The height the frame's content wants, for the host to size the frame by (`resize`): the room
 * with its log as tall as its messages. The document's own height says nothing, since the room
 * fills its frame (100dvh) and the log scrolls inside it; and it is measured so that it does not
 * depend on the frame's height, else each resize would call for the next one.
 */
import { byId } from "../dom";

/** Sub-pixel layout may round a length either way after a resize: a change this small is noise. */
const NOISE_PX = 2;

/** Calls `report` with the content height now and after each change of it. */
export function watchContentHeight(report: (height: number) => void): void {
  const log = byId("log", HTMLDivElement);
  const room = log.closest<HTMLElement>(".room") ?? document.documentElement;
  const list = byId("messages", HTMLOListElement);
  let last = 0;
  const measure = (): void => {
    const style = getComputedStyle(log);
    // What the log has beyond its messages; negative while they overflow it.
    const spare = log.clientHeight - Number.parseFloat(style.paddingTop) - Number.parseFloat(style.paddingBottom) - list.offsetHeight;
    const height = Math.ceil(room.offsetHeight - spare);
    if (Math.abs(height - last) <= NOISE_PX) return;
    last = height;
    report(height);
  };
  const observer = new ResizeObserver(measure);
  // The log resizes with the frame and with whatever appears around it (a reply bar, a notice).
  observer.observe(log);
  observer.observe(list);
}
