/**
 * @module
 * The message box: a textarea that grows to a few lines (text-box.ts has the Enter and counter
 * rules it shares with the editor), whose draft survives a reload in each room, and which can
 * answer a message: a "replying to" bar above it names the message until the reply is sent or
 * dismissed (its button, or Escape in the box). It is disabled while the reader may not write
 * (a locked room, a removal), and in slow mode the Send button counts down to the next message.
 */
import type { MessageFrame } from "../wire/protocol";
import { byId } from "./dom";
import { formatCountdown, t } from "./i18n/index";
import { excerpt } from "./reply-quote";
import { load, save } from "./storage";
import { enterSubmits, fit, showCount, typedText } from "./text-box";

export interface ComposerOptions {
  room: string;
  /** The draft to start with (an embedded room's, across its reload); else the one kept in storage. */
  draft?: string | undefined;
  /** Sends (or queues) `text`, a reply to `replyTo` if set; returns why it could not, in words for the reader. */
  submit: (text: string, replyTo: MessageFrame | undefined) => string | undefined;
  /** Called on each keystroke that leaves something typed. */
  typing: () => void;
  /** The room's limit in code points; it can change with each welcome. */
  maxChars: () => number;
}

export interface Composer {
  showError(text: string): void;
  /** Makes the next message a reply to `message`, and puts the cursor in the box. */
  replyTo(message: MessageFrame): void;
  /** Disables the box and Send while the reader may not write; the draft stays. */
  block(blocked: boolean): void;
  /** Slow mode: no message for `seconds`, counted down on the Send button. */
  coolDown(seconds: number): void;
}

/** How often the slow-mode countdown is redrawn. */
const TICK_MS = 250;

export function startComposer(options: ComposerOptions): Composer {
  const form = byId("composer", HTMLFormElement);
  const input = byId("message", HTMLTextAreaElement);
  const send = byId("send", HTMLButtonElement);
  const counter = byId("counter", HTMLParagraphElement);
  const error = byId("composer-error", HTMLParagraphElement);
  const replyBar = byId("reply-bar", HTMLDivElement);
  const replyLabel = byId("reply-label", HTMLSpanElement);
  const draftKey = `edge-chat.draft.${options.room}`;
  let replying: MessageFrame | undefined;
  let blocked = false;
  const cooling = countdown(send);

  const changed = (): void => {
    fit(input);
    showCount(counter, input.value, options.maxChars());
    save(draftKey, input.value === "" ? undefined : input.value);
  };
  const showError = (text: string): void => {
    error.textContent = text;
    error.hidden = false;
  };
  const stopReplying = (): void => {
    replying = undefined;
    replyBar.hidden = true;
  };

  // Enabled even while offline: what is typed then waits in the outbox.
  input.disabled = send.disabled = false;
  enterSubmits(input, form);
  input.value = options.draft ?? load(draftKey) ?? "";
  changed();
  input.focus();

  input.addEventListener("input", () => {
    error.hidden = true;
    changed();
    if (input.value.trim() !== "") options.typing();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && replying) stopReplying();
  });
  byId("reply-cancel", HTMLButtonElement).addEventListener("click", () => {
    stopReplying();
    input.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // Enter submits even while the button is disabled.
    const wait = cooling.left();
    if (wait > 0) return showError(t("composer.slowMode", { time: formatCountdown(wait) }));
    const problem = options.submit(typedText(input), replying);
    if (problem === undefined) {
      input.value = "";
      stopReplying();
      changed();
    } else if (input.value.trim() !== "") {
      showError(problem);
    }
    input.focus();
  });
  return {
    showError,
    replyTo(message) {
      replying = message;
      replyLabel.textContent = t("reply.replyingTo", { name: message.from.name, text: excerpt(message.text) });
      replyBar.hidden = false;
      input.focus();
    },
    block(now) {
      blocked = now;
      input.disabled = blocked;
      send.disabled = blocked || cooling.left() > 0;
    },
    coolDown(seconds) {
      cooling.start(seconds, () => (send.disabled = blocked));
    },
  };
}

/** The Send button's countdown: "Wait 5s" while it runs, disabled; `left` is the seconds to go. */
function countdown(send: HTMLButtonElement): { start(seconds: number, done: () => void): void; left(): number } {
  let until = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const left = (): number => Math.max(0, (until - Date.now()) / 1000);
  return {
    left,
    start(seconds, done) {
      until = Date.now() + seconds * 1000;
      clearInterval(ticker);
      send.disabled = true;
      const tick = (): void => {
        if (left() > 0) {
          send.textContent = t("composer.wait", { time: formatCountdown(left()) });
          return;
        }
        clearInterval(ticker);
        send.textContent = t("composer.send");
        done();
      };
      tick();
      ticker = setInterval(tick, TICK_MS);
    },
  };
}
