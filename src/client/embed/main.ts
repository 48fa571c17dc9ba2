/**
 * @module
 * The embedded room's script entry, /embed-frame.js: the worker puts it in `/embed/<room>` in
 * place of the page's /app.js (src/http/embed.ts), so the room's own page does not carry the
 * frame's code, nor the frame the landing page's.
 */
import { localize } from "../i18n/index";
import { startEmbed } from "./frame";

localize(document);
startEmbed();
