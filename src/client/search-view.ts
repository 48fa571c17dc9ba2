/**
 * @module
 * The search box in the room's header and its results: `/` or Ctrl+K (⌘K) focuses it, typing
 * searches the room's history (the socket's `search` frame, roomSearch), and the matches are listed newest
 * first, the matched parts marked, more loading as the list scrolls (or the focus reaches its end).
 * Arrow keys move through the results, Enter shows one in the log (history-jump.ts), Escape closes.
 * Every part is built as elements with text content: a message never becomes markup.
 */
import type { Connection } from "../../packages/client/src/connection";
import type { SearchHit, SearchPage, Span } from "../wire/protocol";
import { byId, el } from "./dom";
import { formatDateTime, formatWhen, t } from "./i18n/index";
import { ReadError, type RoomReads, reasonOf } from "./room-reads";

const TYPING_PAUSE_MS = 250;
/** Characters of a long message shown around its first match. */
const SNIPPET_CHARS = 240;
/** How close to the list's end (px) a scroll loads the next page. */
const MORE_SLACK = 80;

/** One page of matches, or the code of why there is none. */
type Found = { ok: true; value: SearchPage } | { ok: false; code: string };

export interface SearchDeps {
  /** The page of matches for `q` before message `before` (undefined: the newest). */
  find(q: string, before: number | undefined): Promise<Found>;
  /** Shows message `id` in the log and highlights it; false when the history no longer has it; a `ReadError` when it could not look. */
  show(id: number): Promise<boolean>;
}

/**
 * Search over the room's socket while it is live: the channel the page already has, signed in
 * already, so a search needs no token of its own. While the socket is down (reconnecting, a
 * drop before the answer) the same page comes from `GET .../search` with the page's token.
 */
export function roomSearch(connection: Pick<Connection, "search">, reads: RoomReads): SearchDeps["find"] {
  return async (q, before) => {
    const found = await connection.search(q, before === undefined ? {} : { before });
    if (found.ok || found.code !== "offline") return found;
    const params = new URLSearchParams({ q });
    if (before !== undefined) params.set("before", String(before));
    return reads.json<SearchPage>(`search?${params}`).then(
      (value): Found => ({ ok: true, value }),
      (error: unknown): Found => ({ ok: false, code: error instanceof ReadError ? error.code : "network" }),
    );
  };
}

/** The part of a long text around its first match, the spans moved with it. */
function snippet(text: string, spans: Span[]): { text: string; spans: Span[]; cut: [boolean, boolean] } {
  if (text.length <= SNIPPET_CHARS) return { text, spans, cut: [false, false] };
  const first = spans[0]?.[0] ?? 0;
  const start = Math.max(0, Math.min(first - SNIPPET_CHARS / 4, text.length - SNIPPET_CHARS));
  const end = start + SNIPPET_CHARS;
  const kept = spans.filter(([s, e]) => s >= start && e <= end).map(([s, e]): Span => [s - start, e - start]);
  return { text: text.slice(start, end), spans: kept, cut: [start > 0, end < text.length] };
}

/** The text with its matched spans as `<mark>` elements. */
function markedText(text: string, spans: Span[]): Node[] {
  const part = snippet(text, spans);
  const nodes: Node[] = [];
  let at = 0;
  for (const [start, end] of part.spans) {
    if (start > at) nodes.push(document.createTextNode(part.text.slice(at, start)));
    nodes.push(el("mark", { text: part.text.slice(start, end) }));
    at = end;
  }
  if (at < part.text.length) nodes.push(document.createTextNode(part.text.slice(at)));
  if (part.cut[0]) nodes.unshift(document.createTextNode("…"));
  if (part.cut[1]) nodes.push(document.createTextNode("…"));
  return nodes;
}

function hitItem(hit: SearchHit): HTMLLIElement {
  const when = new Date(hit.ts);
  const button = el(
    "button",
    { className: "search-hit", attrs: { type: "button", "data-id": String(hit.id) } },
    el(
      "span",
      { className: "meta" },
      el("span", { className: "author", text: hit.from.name }),
      el("time", { text: formatWhen(when), attrs: { datetime: when.toISOString(), title: formatDateTime(when) } }),
    ),
    el("span", { className: "text" }, ...markedText(hit.text, hit.highlight)),
  );
  return el("li", {}, button);
}

function isEditable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

export class SearchView {
  private readonly form = byId("search", HTMLFormElement);
  private readonly input = byId("search-input", HTMLInputElement);
  private readonly panel = byId("search-panel", HTMLDivElement);
  private readonly status = byId("search-status", HTMLParagraphElement);
  private readonly list = byId("search-results", HTMLOListElement);
  /** The query shown, and where its next page starts (null: no more). */
  private query = "";
  private nextBefore: number | null = null;
  private count = 0;
  /** Bumped by every new query, so an answer to an older one is dropped. */
  private generation = 0;
  private loading = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: SearchDeps) {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.search(this.input.value);
    });
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.search(this.input.value), TYPING_PAUSE_MS);
    });
    this.input.addEventListener("keydown", (event) => this.inputKey(event));
    this.list.addEventListener("keydown", (event) => this.listKey(event));
    this.list.addEventListener("click", (event) => {
      const hit = (event.target as Element).closest<HTMLButtonElement>("button.search-hit");
      if (hit) void this.pick(Number(hit.dataset.id));
    });
    this.list.addEventListener("focusin", (event) => {
      if ((event.target as Element).closest("li") === this.list.lastElementChild) void this.more();
    });
    this.panel.addEventListener("scroll", () => {
      if (this.panel.scrollHeight - this.panel.scrollTop - this.panel.clientHeight <= MORE_SLACK) void this.more();
    });
    byId("search-close", HTMLButtonElement).addEventListener("click", () => this.close(true));
    document.addEventListener("keydown", (event) => this.shortcut(event));
  }

  /** `/` (outside a text field) or Ctrl+K / ⌘K anywhere: to the search box. */
  private shortcut(event: KeyboardEvent): void {
    const chord = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k";
    const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isEditable(event.target);
    if (!chord && !slash) return;
    event.preventDefault();
    this.input.focus();
    this.input.select();
  }

  private inputKey(event: KeyboardEvent): void {
    if (event.key === "ArrowDown" && this.query !== "") {
      event.preventDefault();
      this.open();
      this.hits()[0]?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      if (this.panel.hidden) this.input.value = "";
      this.close(false);
    }
  }

  private listKey(event: KeyboardEvent): void {
    const hits = this.hits();
    const at = hits.indexOf(document.activeElement as HTMLButtonElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: hits.length - 1 }[event.key];
    if (event.key === "Escape") {
      event.preventDefault();
      this.close(true);
    } else if (to !== undefined) {
      event.preventDefault();
      if (to < 0) this.input.focus();
      else hits[Math.min(to, hits.length - 1)]?.focus();
    }
  }

  private hits(): HTMLButtonElement[] {
    return [...this.list.querySelectorAll<HTMLButtonElement>("button.search-hit")];
  }

  private search(raw: string): void {
    clearTimeout(this.timer);
    const q = raw.trim();
    // The same query again (Enter, or typing back to it) shows what it found.
    if (q === this.query && q !== "") {
      this.open();
      return;
    }
    this.generation += 1;
    this.query = q;
    this.list.replaceChildren();
    this.count = 0;
    this.nextBefore = null;
    this.loading = false;
    if (q === "") return this.close(false);
    this.open();
    void this.load(undefined);
  }

  /** The next page, when there is one and none is on its way. */
  private async more(): Promise<void> {
    if (this.nextBefore !== null && !this.loading) await this.load(this.nextBefore);
  }

  private async load(before: number | undefined): Promise<void> {
    const generation = this.generation;
    this.loading = true;
    this.status.textContent = before === undefined ? t("search.searching") : t("search.more");
    const found = await this.deps.find(this.query, before);
    if (generation !== this.generation) return;
    this.loading = false;
    if (!found.ok) {
      this.status.textContent = t("search.failed", { reason: reasonOf(found.code) });
      return;
    }
    const { messages, nextBefore } = found.value;
    this.list.append(...messages.map(hitItem));
    this.count += messages.length;
    this.nextBefore = nextBefore;
    this.status.textContent = this.count === 0 ? t("search.none") : t(nextBefore === null ? "search.count" : "search.countSoFar", { count: this.count });
  }

  private async pick(id: number): Promise<void> {
    this.close(false);
    const shown = await this.deps.show(id).catch((error: unknown) => (error instanceof ReadError ? error : new ReadError("network")));
    if (shown === true) return;
    this.open();
    this.status.textContent = shown === false ? t("search.gone") : t("search.failed", { reason: shown.reason });
  }

  private open(): void {
    this.panel.hidden = false;
  }

  /** Hides the results (they stay for the same query); `refocus` puts the focus back in the box. */
  private close(refocus: boolean): void {
    this.panel.hidden = true;
    if (this.input.value.trim() === "") this.query = "";
    if (refocus) this.input.focus();
  }
}
