/**
 * @module
 * `<edge-chat room="...">`: an embedded room (docs/operations.md, "Embedding"). It frames
 * `/embed/<room>` of the server embed.js came from, inline or behind a floating launcher
 * (`mode="launcher"`), themes it, and speaks the postMessage API with it (docs/protocol.md,
 * *Embedding*): only with that frame, at that origin, never to `*`. What the frame says is
 * re-dispatched on the element as `edge-chat:<type>` events.
 */
import { type EmbedTheme, envelope, type FrameMessage, type HostMessage, parseFrameMessage, THEME_PROPERTIES } from "../wire/embed-messages";
import { CHAT_ICON, STYLES } from "./styles";
import { HostTokens, type TokenSource } from "./token";

const THEME_ATTRIBUTES = ["theme", ...THEME_PROPERTIES] as const;
const TOKEN_ERRORS = ["token_required", "invalid_token", "token_expired"];
let sheet: CSSStyleSheet | undefined;

export function defineEdgeChat(server: string): void {
  if (customElements.get("edge-chat")) return;

  class EdgeChat extends HTMLElement {
    static observedAttributes = [...THEME_ATTRIBUTES, "lang", "max-height"];
    private frame: HTMLIFrameElement | undefined;
    private ready = false;
    private readonly tokens = new HostTokens(undefined, (token) => this.post({ type: "auth", token }));
    private badge: HTMLElement | undefined;
    private launcher: HTMLButtonElement | undefined;

    /** The app's token: a string, or a function called again whenever a fresh one is needed. */
    set token(source: TokenSource | undefined) {
      this.tokens.set(source);
    }

    /** Changes the theme or the language of a frame already shown. */
    configure(config: { theme?: EmbedTheme; language?: string }): void {
      this.post({ type: "config", ...config });
    }

    connectedCallback(): void {
      if (this.frame || !this.hasAttribute("room")) return;
      const root = this.attachShadow({ mode: "open" });
      sheet ??= new CSSStyleSheet();
      sheet.replaceSync(STYLES);
      root.adoptedStyleSheets = [sheet];
      this.frame = document.createElement("iframe");
      this.frame.src = this.frameUrl();
      this.frame.title = this.getAttribute("label") ?? `Chat: ${this.getAttribute("room")}`;
      this.frame.referrerPolicy = "no-referrer";
      window.addEventListener("message", this.hear);
      if (this.launching) this.launch(root, this.frame);
      else root.append(this.frame);
      this.limitHeight();
    }

    disconnectedCallback(): void {
      window.removeEventListener("message", this.hear);
      this.tokens.stop();
    }

    attributeChangedCallback(name: string): void {
      if (name === "max-height") return this.limitHeight();
      if (!this.ready) return;
      this.configure({ theme: this.theme(), ...(this.lang ? { language: this.lang } : {}) });
    }

    /** A `max-height` attribute (a CSS length, or a number of pixels) beats `--edge-chat-max-height`; not for a launcher's panel. */
    private limitHeight(): void {
      if (this.launching) return;
      const given = this.getAttribute("max-height")?.trim() ?? "";
      const value = /^\d+(\.\d+)?$/.test(given) ? `${given}px` : given;
      this.frame?.style.setProperty("max-height", CSS.supports("max-height", value) ? value : null);
    }

    private get launching(): boolean {
      return this.getAttribute("mode") === "launcher";
    }

    private frameUrl(): string {
      const url = new URL(`/embed/${encodeURIComponent(this.getAttribute("room") ?? "")}`, server);
      url.searchParams.set("host", location.origin);
      for (const [key, value] of Object.entries(this.theme())) url.searchParams.set(key, value);
      if (this.lang) url.searchParams.set("lang", this.lang);
      if (this.getAttribute("auth") === "token") url.searchParams.set("auth", "token");
      return url.href;
    }

    /** The theme from the attributes, else from the `--edge-chat-*` custom properties the host set. */
    private theme(): EmbedTheme {
      const style = getComputedStyle(this);
      const theme: Record<string, string> = {};
      for (const key of THEME_ATTRIBUTES) {
        const value = this.getAttribute(key) ?? style.getPropertyValue(`--edge-chat-${key}`).trim();
        if (value) theme[key === "theme" ? "mode" : key] = value;
      }
      return theme as EmbedTheme;
    }

    private launch(root: ShadowRoot, frame: HTMLIFrameElement): void {
      const panel = document.createElement("div");
      panel.className = "panel";
      panel.id = "panel";
      panel.hidden = true;
      panel.append(frame);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "launcher";
      button.setAttribute("aria-controls", "panel");
      button.setAttribute("aria-expanded", "false");
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.hidden = true;
      // Parsed as SVG, never as HTML: no markup string reaches the host page's HTML parser.
      button.append(new DOMParser().parseFromString(CHAT_ICON, "image/svg+xml").documentElement, badge);
      button.addEventListener("click", () => {
        panel.hidden = !panel.hidden;
        button.setAttribute("aria-expanded", String(!panel.hidden));
        // Focus inside the frame is the reader looking: the frame clears its unread count.
        if (!panel.hidden) frame.focus();
      });
      this.launcher = button;
      this.badge = badge;
      this.label(0);
      root.append(panel, button);
    }

    private label(unread: number): void {
      if (!this.launcher || !this.badge) return;
      this.badge.hidden = unread === 0;
      this.badge.textContent = unread > 99 ? "99+" : String(unread);
      const name = this.getAttribute("label") ?? `Chat: ${this.getAttribute("room")}`;
      this.launcher.setAttribute("aria-label", unread === 0 ? name : `${name} (${unread} unread)`);
    }

    private readonly hear = (event: MessageEvent): void => {
      if (event.origin !== new URL(server).origin || event.source !== this.frame?.contentWindow) return;
      const message = parseFrameMessage(event.data);
      if (message) this.handle(message);
    };

    private handle(message: FrameMessage): void {
      if (message.type === "ready") {
        // Also after the frame reloaded (a language change): it forgot the token.
        this.ready = true;
        void this.tokens.send();
      }
      if (message.type === "unread") this.label(message.count);
      // Inline, the frame is as tall as its content, within the stylesheet's min-height and
      // max-height; a launcher's panel keeps its own size.
      if (message.type === "resize" && !this.launching && this.frame) this.frame.style.height = `${message.height}px`;
      if (message.type === "error" && TOKEN_ERRORS.includes(message.code) && this.tokens.renewable) void this.tokens.send();
      const { type, ...detail } = message;
      this.dispatchEvent(new CustomEvent(`edge-chat:${type}`, { detail, bubbles: true, composed: true }));
    }

    private post(message: HostMessage): void {
      if (this.ready) this.frame?.contentWindow?.postMessage(envelope(message), new URL(server).origin);
    }
  }
  customElements.define("edge-chat", EdgeChat);
}
