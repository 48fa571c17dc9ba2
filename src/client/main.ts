/**
 * @module
 * The page script's entry: one bundle serves every page, and `<body data-page>` says which. Each
 * is translated first, so no view ever writes a string in the wrong language. An embedded room
 * has a bundle of its own (embed/main.ts).
 */
import { byId } from "./dom";
import { languageSwitch, localize } from "./i18n/index";
import { startLanding } from "./landing";
import { startRoom } from "./room-page";

localize(document);
if (document.getElementById("language")) languageSwitch(byId("language", HTMLSelectElement));
if (document.body.dataset.page === "landing") startLanding();
else if (document.body.dataset.page === "room") void startRoom();
