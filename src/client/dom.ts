/**
 * @module
 * The two DOM helpers every view uses. Text goes in through `textContent` only, so a name or a
 * message can never become markup.
 */

export interface ElementProps {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

/** Creates an element with a class, text and attributes, then appends `children`. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** The element with `id`, checked to be of the expected kind: the page's HTML is the contract. */
export function byId<T extends HTMLElement>(id: string, kind: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof kind)) throw new Error(`#${id} is missing or not a ${kind.name}`);
  return node;
}
