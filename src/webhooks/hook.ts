/**
 * @module
 * The message hook: before a new message or an edit is stored, the app's backend may allow it,
 * reject it, or replace its text (docs/protocol.md, "The message hook"). Every call starts at
 * once, so a slow hook delays only the message it is about; each sender's answers are handled in
 * the order that sender sent, so their messages keep their order, and a message takes its place
 * in the room's order (its id) when its answer is handled. A hook that fails, times out or
 * answers something it should not is decided by MESSAGE_HOOK_FAILURE.
 */

import { log } from "../log";
import { checkText } from "../wire/checks";
import type { Refusal } from "../wire/protocol";
import type { HookSettings } from "./settings";
import { Signer } from "./sign";

/** An answer longer than this is not an answer. */
const MAX_HOOK_ANSWER_BYTES = 16 * 1024;

/** What the hook is asked about. */
export interface HookQuestion {
  from: { uid: string; name: string };
  text: string;
  replyTo?: number;
  /** The id of the message being edited. */
  edit?: number;
}

/** The text to store (the sender's, or the hook's replacement), or why it may not be stored. */
export type Verdict = { ok: true; text: string } | Refusal;

type Answer = { action: "allow" } | { action: "reject"; reason?: string } | { action: "replace"; text: string };

function rejected(reason?: string): Refusal {
  const message = reason === undefined ? "the room's app rejected this message" : `the room's app rejected this message: ${reason}`;
  return reason === undefined ? { ok: false, code: "rejected", message } : { ok: false, code: "rejected", message, reason };
}

/** Reads at most `limit` bytes of a body; undefined if there are more. */
async function readLimited(response: Response, limit: number): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) bytes.set(chunk, (at += chunk.byteLength) - chunk.byteLength);
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
}

/** A well-formed answer, or a description of what is wrong with it. */
function parseAnswer(body: string): Answer | string {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    return "the answer is not JSON";
  }
  if (typeof answer !== "object" || answer === null) return "the answer is not a JSON object";
  const { action, reason, text } = answer as Record<string, unknown>;
  if (action === "allow") return { action };
  if (action === "reject") {
    if (reason === undefined) return { action };
    return typeof reason === "string" && reason.length <= 200 ? { action, reason } : "reject's reason must be a string of at most 200 characters";
  }
  if (action === "replace") return typeof text === "string" ? { action, text } : "replace needs a text";
  return "action must be allow, reject or replace";
}

export class MessageHook {
  private readonly signer: Signer | undefined;
  /** Per sender: the end of the chain of their answers still being handled. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly settings: HookSettings,
    private readonly room: string,
    private readonly maxChars: number,
  ) {
    this.signer = settings.endpoint && new Signer(settings.endpoint.key);
  }

  get enabled(): boolean {
    return this.signer !== undefined;
  }

  /**
   * Asks the hook about a message now, and calls `decide` with the verdict once it is in and the
   * same sender's earlier messages were decided. `decide` runs synchronously there: whatever it
   * queues keeps the sender's order.
   */
  screen(sender: string, question: HookQuestion, decide: (verdict: Verdict) => void): void {
    this.chain(sender, this.ask(question), decide);
  }

  /** Runs `step` once the sender's earlier messages were decided: an action keeps its place behind them. */
  inTurn(sender: string, step: () => void): void {
    if (this.tails.has(sender)) this.chain(sender, Promise.resolve(), step);
    else step();
  }

  private chain<T>(sender: string, outcome: Promise<T>, then: (value: T) => void): void {
    const tail: Promise<void> = (this.tails.get(sender) ?? Promise.resolve())
      .then(() => outcome)
      .then(then)
      .catch((error) => log("error", { where: "message_hook", message: String(error) }))
      .finally(() => {
        if (this.tails.get(sender) === tail) this.tails.delete(sender);
      });
    this.tails.set(sender, tail);
  }

  private async ask(question: HookQuestion): Promise<Verdict> {
    const answer = await this.call(question);
    if (typeof answer === "string") return this.fail(answer, question.text);
    if (answer.action === "allow") return { ok: true, text: question.text };
    if (answer.action === "reject") return rejected(answer.reason);
    const replaced = checkText(answer.text, this.maxChars);
    return replaced.ok ? { ok: true, text: replaced.value } : this.fail(`the replacement text breaks the text rules: ${replaced.message}`, question.text);
  }

  /** A failed hook: the sender's own `text` goes through, or nothing does (MESSAGE_HOOK_FAILURE). */
  private fail(problem: string, text: string): Verdict {
    log("message_hook_failed", { error: problem, policy: this.settings.failure });
    if (this.settings.failure === "allow") return { ok: true, text };
    return { ok: false, code: "rejected", message: "the room's app could not check this message; try again later" };
  }

  /** The hook's answer, or what went wrong. */
  private async call(question: HookQuestion): Promise<Answer | string> {
    const { from, text, replyTo, edit } = question;
    const body = JSON.stringify({ room: this.room, from: { uid: from.uid, name: from.name }, text, replyTo, edit });
    const signed = await this.signer!.headers(`hook_${crypto.randomUUID().replaceAll("-", "")}`, body);
    try {
      const response = await fetch(this.settings.endpoint!.url, {
        method: "POST",
        headers: { ...signed, "content-type": "application/json" },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return `HTTP ${response.status}`;
      }
      const text = await readLimited(response, MAX_HOOK_ANSWER_BYTES);
      return text === undefined ? `the answer is over ${MAX_HOOK_ANSWER_BYTES} bytes` : parseAnswer(text);
    } catch (error) {
      if (error instanceof Error && error.name === "TimeoutError") return `no answer within ${this.settings.timeoutMs} ms`;
      return error instanceof TypeError && String(error).includes("decode") ? "the answer is not UTF-8" : `unreachable: ${String(error)}`;
    }
  }
}
